#include "model/envelope.h"
#include "model/json_object.h"

#include "model/json_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace faultline {

namespace {

// Reads the envelope line by line from a position; tolerates CRLF line ends.
class Cursor {
public:
    explicit Cursor(const QByteArray &data)
        : m_data(data)
    {
    }

    bool atEnd() const { return m_pos >= m_data.size(); }
    qsizetype pos() const { return m_pos; }
    qsizetype remaining() const { return m_data.size() - m_pos; }

    // The bytes up to the next '\n' (or the end), without the '\n' and a '\r' before it.
    QByteArray line()
    {
        qsizetype end = m_data.indexOf('\n', m_pos);
        const qsizetype next = end < 0 ? m_data.size() : end + 1;
        if (end < 0)
            end = m_data.size();
        if (end > m_pos && m_data.at(end - 1) == '\r')
            --end;
        QByteArray result = m_data.mid(m_pos, end - m_pos);
        m_pos = next;
        return result;
    }

    QByteArray take(qsizetype length)
    {
        QByteArray result = m_data.mid(m_pos, length);
        m_pos += length;
        return result;
    }

    // After a payload with a length: "\n", "\r\n" or the end. False if anything else follows.
    bool skipNewline()
    {
        if (atEnd())
            return true;
        if (m_data.at(m_pos) == '\n') {
            ++m_pos;
            return true;
        }
        if (m_data.at(m_pos) == '\r' && m_pos + 1 < m_data.size() && m_data.at(m_pos + 1) == '\n') {
            m_pos += 2;
            return true;
        }
        return false;
    }

    // Blank lines between items (and trailing newlines) carry nothing.
    void skipBlankLines()
    {
        while (!atEnd()) {
            if (m_data.at(m_pos) == '\n')
                ++m_pos;
            else if (m_data.at(m_pos) == '\r' && m_pos + 1 < m_data.size() && m_data.at(m_pos + 1) == '\n')
                m_pos += 2;
            else
                break;
        }
    }

private:
    const QByteArray &m_data;
    qsizetype m_pos = 0;
};

// The parser's error, moved to where the line sits in the envelope.
FieldError at(FieldError error, QJsonArray loc)
{
    error.loc = std::move(loc);
    return error;
}

QJsonArray itemLoc(qsizetype index, const char *field)
{
    return QJsonArray { QStringLiteral("items"), static_cast<int>(index), QString::fromLatin1(field) };
}

} // namespace

Result<Envelope> parseEnvelope(const QByteArray &body, const EnvelopeLimits &limits)
{
    Cursor cursor(body);
    Envelope envelope;

    const Result<QJsonObject> header = parseJsonObject(cursor.line(), QStringLiteral("envelope header"));
    if (!header)
        return at(header.errors().first(), QJsonArray { QStringLiteral("header") });
    envelope.header = header.value();

    for (qsizetype index = 0;; ++index) {
        cursor.skipBlankLines();
        if (cursor.atEnd())
            break;
        if (index >= limits.maxItems) {
            return FieldError { QJsonArray { QStringLiteral("items") },
                QStringLiteral("more than %1 items in one envelope").arg(limits.maxItems),
                QStringLiteral("limit.items") };
        }

        const Result<QJsonObject> itemHeader = parseJsonObject(cursor.line(), QStringLiteral("item header"));
        if (!itemHeader)
            return at(itemHeader.errors().first(), itemLoc(index, "header"));

        EnvelopeItem item;
        item.header = itemHeader.value();
        item.type = json::scalarText(item.header.value(QLatin1String("type")));

        const QJsonValue lengthValue = item.header.value(QLatin1String("length"));
        if (lengthValue.isNull() || lengthValue.isUndefined()) {
            // No length (@sentry/node): the payload is the rest of the line.
            item.payload = cursor.line();
        } else {
            const auto length = json::toInteger(lengthValue);
            if (!length || *length < 0) {
                return FieldError { itemLoc(index, "length"), QStringLiteral("length must be a non-negative integer"),
                    QStringLiteral("type_error.integer") };
            }
            if (*length > cursor.remaining()) {
                return FieldError { itemLoc(index, "length"),
                    QStringLiteral("length %1 runs past the end of the envelope (%2 bytes left)")
                        .arg(*length)
                        .arg(cursor.remaining()),
                    QStringLiteral("value_error.length") };
            }
            item.payload = cursor.take(static_cast<qsizetype>(*length));
            if (!cursor.skipNewline()) {
                return FieldError { itemLoc(index, "length"),
                    QStringLiteral("payload of length %1 is not followed by a newline").arg(*length),
                    QStringLiteral("value_error.length") };
            }
        }
        envelope.items.append(item);
    }
    return envelope;
}

} // namespace faultline
