#include "model/query/query_parser.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace faultline {

namespace {

FieldError queryError(int start, int length, const QString &message, const QString &type)
{
    return FieldError { QJsonArray { start, length }, message, QStringLiteral("query.") + type };
}

// One whitespace-separated term as typed, before its meaning is known.
struct RawTerm {
    int start = 0;
    int length = 0;
    bool negated = false;
    bool quotedText = false; // the whole term was a "phrase"
    bool hasKey = false;
    QString key;
    QString value;
    bool valueQuoted = false;
    QString text; // the term as typed, without its negation sign
};

bool isKeyChar(QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'-'; }

bool isValidKey(const QString &key)
{
    if (key.isEmpty() || !(key[0].isLetter() || key[0] == u'_'))
        return false;
    for (QChar c : key)
        if (!isKeyChar(c))
            return false;
    return true;
}

class Scanner {
public:
    explicit Scanner(const QString &text)
        : m_text(text)
    {
    }

    // Reads the next term into *term; false at the end of the text or on error (*error set;
    // reading can go on after it: atEnd() says whether there is more).
    bool next(RawTerm *term, std::optional<FieldError> *error)
    {
        while (m_pos < m_text.size() && m_text[m_pos].isSpace())
            ++m_pos;
        if (m_pos >= m_text.size())
            return false;

        *term = RawTerm {};
        term->start = m_pos;
        if ((m_text[m_pos] == u'!' || m_text[m_pos] == u'-')) {
            if (m_pos + 1 >= m_text.size() || m_text[m_pos + 1].isSpace()) {
                *error = queryError(m_pos, 1, QStringLiteral("'%1' needs a term right after it").arg(m_text[m_pos]),
                    QStringLiteral("dangling_negation"));
                ++m_pos; // past it, so the terms after it are still checked
                return false;
            }
            term->negated = true;
            ++m_pos;
        }
        const int bodyStart = m_pos;

        if (m_text[m_pos] == u'"') {
            if (!readQuoted(&term->value, term->start, error))
                return false;
            term->quotedText = true;
        } else {
            const int wordStart = m_pos;
            while (m_pos < m_text.size() && !m_text[m_pos].isSpace() && m_text[m_pos] != u':')
                ++m_pos;
            const QString head = m_text.mid(wordStart, m_pos - wordStart);
            if (m_pos < m_text.size() && m_text[m_pos] == u':' && isValidKey(head)) {
                term->hasKey = true;
                term->key = head;
                ++m_pos;
                if (m_pos < m_text.size() && m_text[m_pos] == u'"') {
                    if (!readQuoted(&term->value, term->start, error))
                        return false;
                    term->valueQuoted = true;
                } else {
                    const int valueStart = m_pos;
                    while (m_pos < m_text.size() && !m_text[m_pos].isSpace())
                        ++m_pos;
                    term->value = m_text.mid(valueStart, m_pos - valueStart);
                }
            } else {
                // Not a key (e.g. "http://x" stays a word only if "http" were invalid): the rest is a word.
                while (m_pos < m_text.size() && !m_text[m_pos].isSpace())
                    ++m_pos;
                term->value = m_text.mid(wordStart, m_pos - wordStart);
            }
        }
        term->length = m_pos - term->start;
        term->text = m_text.mid(bodyStart, m_pos - bodyStart);
        return true;
    }

    bool atEnd() const { return m_pos >= m_text.size(); }

private:
    // At an opening quote: reads to the closing one; \" and \\ are escapes.
    bool readQuoted(QString *out, int termStart, std::optional<FieldError> *error)
    {
        ++m_pos; // opening quote
        QString value;
        while (m_pos < m_text.size()) {
            const QChar c = m_text[m_pos];
            if (c == u'\\' && m_pos + 1 < m_text.size() && (m_text[m_pos + 1] == u'"' || m_text[m_pos + 1] == u'\\')) {
                value.append(m_text[m_pos + 1]);
                m_pos += 2;
                continue;
            }
            if (c == u'"') {
                ++m_pos;
                *out = value;
                return true;
            }
            value.append(c);
            ++m_pos;
        }
        *error = queryError(termStart, int(m_text.size()) - termStart, QStringLiteral("unterminated quote"),
            QStringLiteral("unterminated_quote"));
        return false;
    }

    const QString &m_text;
    int m_pos = 0;
};

std::optional<FieldError> interpretLevel(const RawTerm &raw, QueryTerm *term)
{
    QString value = raw.value;
    term->compare = QueryCompare::Equal;
    static const std::pair<const char *, QueryCompare> operators[]
        = { { ">=", QueryCompare::GreaterOrEqual }, { "<=", QueryCompare::LessOrEqual }, { ">", QueryCompare::Greater },
              { "<", QueryCompare::Less }, { "=", QueryCompare::Equal } };
    if (!raw.valueQuoted) {
        for (const auto &[symbol, compare] : operators) {
            if (value.startsWith(QLatin1String(symbol))) {
                term->compare = compare;
                value = value.mid(int(qstrlen(symbol)));
                break;
            }
        }
    }
    value = value.toLower();
    if (value.isEmpty())
        return queryError(
            raw.start, raw.length, QStringLiteral("level: needs a value"), QStringLiteral("missing_value"));
    if (levelRank(value) < 0)
        return queryError(raw.start, raw.length,
            QStringLiteral("%1: unknown level '%2': expected debug, info, warning, error or fatal")
                .arg(raw.text, value),
            QStringLiteral("unknown_level"));
    term->value = value;
    return std::nullopt;
}

std::optional<FieldError> interpretDuration(const RawTerm &raw, const QString &key, QueryTerm *term)
{
    static const QRegularExpression pattern(QStringLiteral("^([+-]?)(\\d{1,9})([smhdw])$"));
    const auto match = pattern.match(raw.value);
    if (!match.hasMatch())
        return queryError(raw.start, raw.length, QStringLiteral("%1: expected a duration like -24h").arg(key),
            QStringLiteral("invalid_duration"));
    static const QHash<QString, qint64> unitSeconds = { { QStringLiteral("s"), 1 }, { QStringLiteral("m"), 60 },
        { QStringLiteral("h"), 3600 }, { QStringLiteral("d"), 86400 }, { QStringLiteral("w"), 7 * 86400 } };
    term->olderThan = match.captured(1) == u"+";
    term->seconds = match.captured(2).toLongLong() * unitSeconds.value(match.captured(3));
    return std::nullopt;
}

std::optional<FieldError> interpretHttpStatus(const RawTerm &raw, QueryTerm *term)
{
    static const QRegularExpression pattern(
        QStringLiteral("^([1-5])(\\d\\d|xx)$"), QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(raw.value);
    if (!match.hasMatch())
        return queryError(raw.start, raw.length, QStringLiteral("status: expected an HTTP status like 500 or 4xx"),
            QStringLiteral("invalid_http_status"));
    const int hundreds = match.captured(1).toInt() * 100;
    if (match.captured(2).compare(QLatin1String("xx"), Qt::CaseInsensitive) == 0) {
        term->httpStatusMin = hundreds;
        term->httpStatusMax = hundreds + 99;
    } else {
        term->httpStatusMin = term->httpStatusMax = hundreds + match.captured(2).toInt();
    }
    return std::nullopt;
}

// user:42 matches any identity; user:id:42 (the `user` tag as Sentry writes
// it) and user.email:a@b.c one of them. user.ip_address is Sentry's user.ip.
std::optional<FieldError> interpretUser(const RawTerm &raw, const QString &key, QueryTerm *term)
{
    static const QStringList identities
        = { QStringLiteral("id"), QStringLiteral("email"), QStringLiteral("username"), QStringLiteral("ip") };
    term->field = QueryField::User;
    term->value = raw.value;
    QString identity = key.mid(5); // after "user."
    if (identity == u"ip_address")
        identity = QStringLiteral("ip");
    if (key == u"user") {
        const qsizetype colon = raw.value.indexOf(u':');
        if (colon > 0 && identities.contains(raw.value.left(colon))) {
            identity = raw.value.left(colon);
            term->value = raw.value.mid(colon + 1);
        }
    } else if (!identities.contains(identity)) {
        return queryError(raw.start, raw.length,
            QStringLiteral("%1: expected user.id, user.email, user.username or user.ip").arg(raw.key),
            QStringLiteral("unknown_user_field"));
    }
    term->key = identity;
    return std::nullopt;
}

std::optional<FieldError> interpretStatus(const RawTerm &raw, QueryTerm *term)
{
    const QString status = raw.value.toLower();
    static const QStringList statuses = { QStringLiteral("unresolved"), QStringLiteral("resolved"),
        QStringLiteral("ignored"), QStringLiteral("regressed"), QStringLiteral("for_review") };
    if (!statuses.contains(status))
        return queryError(raw.start, raw.length,
            QStringLiteral("unknown status '%1': expected unresolved, resolved, ignored, regressed or for_review")
                .arg(raw.value),
            QStringLiteral("unknown_status"));
    term->value = status;
    return std::nullopt;
}

// The value of a term whose key names a field (term->field, model/query/query.h's table).
std::optional<FieldError> interpretValue(const RawTerm &raw, QueryTerm *term)
{
    switch (term->field) {
    case QueryField::IssueStatus:
        return interpretStatus(raw, term);
    case QueryField::Level:
        return interpretLevel(raw, term);
    case QueryField::Tag: {
        const qsizetype eq = raw.value.indexOf(u'=');
        if (eq <= 0 || eq == raw.value.size() - 1)
            return queryError(
                raw.start, raw.length, QStringLiteral("tag: expected key=value"), QStringLiteral("invalid_tag"));
        term->key = raw.value.left(eq);
        term->value = raw.value.mid(eq + 1);
        return std::nullopt;
    }
    case QueryField::Has: {
        const QString what = raw.value.toLower();
        term->key = (what == u"locals" || what == u"validation") ? what : raw.value;
        return std::nullopt;
    }
    case QueryField::HttpStatus:
        return interpretHttpStatus(raw, term);
    case QueryField::FirstSeen:
    case QueryField::LastSeen:
        return interpretDuration(raw, raw.key, term);
    case QueryField::Project:
    case QueryField::Release:
    case QueryField::Environment:
    case QueryField::ValidationField:
    case QueryField::Text:
    case QueryField::User:
        term->value = raw.value;
        return std::nullopt;
    }
    return std::nullopt;
}

// Gives the raw term its meaning; an unknown key becomes a tag, as in Sentry.
std::optional<FieldError> interpret(const RawTerm &raw, QueryTerm *term)
{
    term->negated = raw.negated;
    term->start = raw.start;
    term->length = raw.length;
    if (!raw.hasKey) {
        term->field = QueryField::Text;
        term->value = raw.value;
        term->phrase = raw.quotedText;
        return std::nullopt;
    }

    const QString key = raw.key.toLower();
    const std::optional<QueryField> field = queryKeyField(key);
    if (raw.value.isEmpty()) {
        if (!field && !raw.valueQuoted) {
            // "KeyError:" pasted from a traceback is a search word, not a tag.
            term->field = QueryField::Text;
            term->value = raw.text;
            return std::nullopt;
        }
        return queryError(
            raw.start, raw.length, QStringLiteral("%1: needs a value").arg(raw.key), QStringLiteral("missing_value"));
    }
    if (field) {
        term->field = *field;
        return interpretValue(raw, term);
    }
    if (isUserQueryKey(key))
        return interpretUser(raw, key, term);
    term->field = QueryField::Tag;
    term->key = raw.key;
    term->value = raw.value;
    return std::nullopt;
}

} // namespace

Result<Query> parseQuery(const QString &text)
{
    // Every mistake, in the order typed, so one look shows all that needs fixing.
    Query query;
    QList<FieldError> errors;
    Scanner scanner(text);
    for (;;) {
        RawTerm raw;
        std::optional<FieldError> error;
        if (!scanner.next(&raw, &error)) {
            if (!error)
                break;
            errors.append(*error);
            if (scanner.atEnd())
                break;
            continue;
        }
        if (!raw.hasKey && raw.value.isEmpty())
            continue; // "" matches everything; nothing to add
        QueryTerm term;
        if (auto termError = interpret(raw, &term))
            errors.append(*termError);
        else
            query.terms.append(term);
    }
    if (!errors.isEmpty())
        return errors;
    return query;
}

QuerySpan querySpan(const FieldError &error)
{
    if (error.loc.size() != 2)
        return {};
    return { error.loc.at(0).toInt(), error.loc.at(1).toInt() };
}

} // namespace faultline
