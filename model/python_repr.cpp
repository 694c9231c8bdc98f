#include "model/python_repr.h"

#include "model/json_text.h"

#include <QJsonArray>
#include <QJsonObject>

namespace faultline::detail {

namespace {

// Exception values are user-controlled: bound the recursion.
constexpr int maxDepth = 64;

class ReprParser {
public:
    explicit ReprParser(const QString &text)
        : m_text(text)
    {
    }

    std::optional<QJsonValue> parseAll()
    {
        auto value = parseValue(0);
        skipSpace();
        if (!value || m_pos != m_text.size())
            return std::nullopt;
        return value;
    }

private:
    QChar peek() const { return m_pos < m_text.size() ? m_text.at(m_pos) : QChar(); }

    void skipSpace()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
    }

    bool consume(QChar c)
    {
        skipSpace();
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }

    std::optional<QJsonValue> parseValue(int depth)
    {
        if (depth > maxDepth)
            return std::nullopt;
        skipSpace();
        const QChar c = peek();
        if (c == QLatin1Char('{'))
            return parseDict(depth);
        if (c == QLatin1Char('['))
            return parseSequence(QLatin1Char(']'), depth);
        if (c == QLatin1Char('('))
            return parseSequence(QLatin1Char(')'), depth);
        if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
            return parseString();
        if (c.isDigit() || c == QLatin1Char('-') || c == QLatin1Char('+'))
            return parseNumber();
        if (c.isLetter() || c == QLatin1Char('_'))
            return parseNameOrCall(depth);
        return std::nullopt;
    }

    std::optional<QJsonValue> parseDict(int depth)
    {
        ++m_pos; // '{'
        QList<std::pair<QString, QJsonValue>> members;
        if (consume(QLatin1Char('}')))
            return QJsonObject();
        for (;;) {
            const auto key = parseValue(depth + 1);
            if (!key || !consume(QLatin1Char(':')))
                return std::nullopt;
            const auto value = parseValue(depth + 1);
            if (!value)
                return std::nullopt;
            members.append({ json::toText(*key), *value });
            if (consume(QLatin1Char('}')))
                return json::objectFromMembers(std::move(members));
            if (!consume(QLatin1Char(',')))
                return std::nullopt;
            if (consume(QLatin1Char('}')))
                return json::objectFromMembers(std::move(members));
        }
    }

    std::optional<QJsonValue> parseSequence(QChar close, int depth)
    {
        ++m_pos; // '[' or '('
        QJsonArray array;
        if (consume(close))
            return array;
        for (;;) {
            const auto value = parseValue(depth + 1);
            if (!value)
                return std::nullopt;
            array.append(*value);
            if (consume(close))
                return array;
            if (!consume(QLatin1Char(',')))
                return std::nullopt;
            if (consume(close))
                return array;
        }
    }

    std::optional<QJsonValue> parseString()
    {
        const QChar quote = m_text.at(m_pos++);
        QString out;
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos++);
            if (c == quote)
                return out;
            if (c != QLatin1Char('\\') || m_pos >= m_text.size()) {
                out.append(c);
                continue;
            }
            const QChar escaped = m_text.at(m_pos++);
            switch (escaped.unicode()) {
            case 'n':
                out.append(QLatin1Char('\n'));
                break;
            case 't':
                out.append(QLatin1Char('\t'));
                break;
            case 'r':
                out.append(QLatin1Char('\r'));
                break;
            case 'x':
            case 'u': {
                const int digits = escaped == QLatin1Char('x') ? 2 : 4;
                bool ok = false;
                const uint code = m_text.mid(m_pos, digits).toUInt(&ok, 16);
                if (!ok)
                    return std::nullopt;
                out.append(QChar(static_cast<char16_t>(code)));
                m_pos += digits;
                break;
            }
            default:
                out.append(escaped);
                break; // \\ \' \"
            }
        }
        return std::nullopt;
    }

    std::optional<QJsonValue> parseNumber()
    {
        const qsizetype start = m_pos;
        ++m_pos;
        while (m_pos < m_text.size()
            && (m_text.at(m_pos).isLetterOrNumber() || m_text.at(m_pos) == QLatin1Char('.')
                || ((m_text.at(m_pos) == QLatin1Char('-') || m_text.at(m_pos) == QLatin1Char('+'))
                    && m_text.at(m_pos - 1).toLower() == QLatin1Char('e'))))
            ++m_pos;
        bool ok = false;
        const double number = m_text.mid(start, m_pos - start).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        return number;
    }

    std::optional<QJsonValue> parseNameOrCall(int depth)
    {
        const qsizetype start = m_pos;
        while (m_pos < m_text.size()
            && (m_text.at(m_pos).isLetterOrNumber() || m_text.at(m_pos) == QLatin1Char('_')
                || m_text.at(m_pos) == QLatin1Char('.')))
            ++m_pos;
        const QString name = m_text.mid(start, m_pos - start);
        // String prefixes: b'…', u'…', r'…'.
        if ((peek() == QLatin1Char('\'') || peek() == QLatin1Char('"')) && name.size() <= 2)
            return parseString();
        if (peek() != QLatin1Char('(')) {
            if (name == QLatin1String("None"))
                return QJsonValue(QJsonValue::Null);
            if (name == QLatin1String("True") || name == QLatin1String("False"))
                return name == QLatin1String("True");
            return name;
        }
        ++m_pos; // '('
        QList<std::pair<QString, QJsonValue>> call { { QStringLiteral("__call__"), name } };
        if (consume(QLatin1Char(')')))
            return json::objectFromMembers(std::move(call));
        for (int index = 0;; ++index) {
            skipSpace();
            const qsizetype save = m_pos;
            QString keyword;
            while (
                m_pos < m_text.size() && (m_text.at(m_pos).isLetterOrNumber() || m_text.at(m_pos) == QLatin1Char('_')))
                ++m_pos;
            const qsizetype nameEnd = m_pos;
            if (m_pos > save && consume(QLatin1Char('=')))
                keyword = m_text.mid(save, nameEnd - save);
            else
                m_pos = save;
            const auto value = parseValue(depth + 1);
            if (!value)
                return std::nullopt;
            call.append({ keyword.isEmpty() ? QString::number(index) : keyword, *value });
            if (consume(QLatin1Char(')')))
                return json::objectFromMembers(std::move(call));
            if (!consume(QLatin1Char(',')))
                return std::nullopt;
        }
    }

    const QString &m_text;
    qsizetype m_pos = 0;
};

} // namespace

std::optional<QJsonValue> parsePythonRepr(const QString &text) { return ReprParser(text).parseAll(); }

} // namespace faultline::detail
