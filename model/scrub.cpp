#include "model/scrub.h"

#include "model/json_dom.h"
#include "model/secret_keys.h"
#include "model/secret_text.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>

namespace faultline {

namespace {

const QString filteredText = QStringLiteral("[Filtered]");

// The rules the project being scrubbed opted out of (ScrubOptOut bits), for the
// duration of one scrubSecrets()/needsScrubbing()/scrubbedPage() call on this
// thread: the recursive helpers read it rather than each passing it on.
thread_local unsigned t_keep = 0;

class KeepRules {
public:
    explicit KeepRules(unsigned keep)
        : m_previous(t_keep)
    {
        t_keep = keep;
    }
    ~KeepRules() { t_keep = m_previous; }
    KeepRules(const KeepRules &) = delete;
    KeepRules &operator=(const KeepRules &) = delete;

private:
    unsigned m_previous;
};

struct OptOutName {
    const char *name;
    ScrubOptOut bit;
};
// Relay's rule names.
constexpr OptOutName kOptOutNames[] = { { "creditcard", KeepCreditCards }, { "usssn", KeepUsSsns },
    { "bearer", KeepBearerTokens }, { "urlauth", KeepUrlPasswords }, { "pemkey", KeepPrivateKeys } };

bool looksLikeCredential(const QString &text)
{
    // Cheap gate before the regex, without copying: almost no string is a
    // credential, and this runs for every string of every event.
    qsizetype first = 0;
    qsizetype last = text.size();
    while (first < last && text.at(first).isSpace())
        ++first;
    while (last > first && text.at(last - 1).isSpace())
        --last;
    if (last - first < 12)
        return false;
    const bool quoted = text.at(first) == QLatin1Char('\'') || text.at(first) == QLatin1Char('"');
    const QChar initial = text.at(first + (quoted ? 1 : 0));
    if (initial != QLatin1Char('b') && initial != QLatin1Char('B'))
        return false;
    // Authorization header values that end up in vars or extra (python reprs keep their quotes).
    static const QRegularExpression credential(
        QStringLiteral(R"(^['"]?(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}['"]?$)"),
        QRegularExpression::CaseInsensitiveOption);
    return credential.match(QStringView(text).sliced(first, last - first)).hasMatch();
}

// Relay's @urlauth: "postgres://admin:PW@db/prod" anywhere in a string keeps
// everything but the password. One pass; nothing when there is none.
std::optional<QString> withUrlPasswordsFiltered(QStringView text)
{
    std::optional<QString> out;
    qsizetype copied = 0;
    for (qsizetype scheme = text.indexOf(QLatin1String("://")); scheme >= 0;
         scheme = text.indexOf(QLatin1String("://"), scheme + 3)) {
        const qsizetype start = scheme + 3;
        qsizetype end = start;
        while (end < text.size() && !text.at(end).isSpace() && text.at(end) != QLatin1Char('/')
            && text.at(end) != QLatin1Char('?') && text.at(end) != QLatin1Char('#') && text.at(end) != QLatin1Char('"')
            && text.at(end) != QLatin1Char('\''))
            ++end;
        const qsizetype at = text.sliced(start, end - start).lastIndexOf(QLatin1Char('@'));
        const qsizetype colon = at < 0 ? -1 : text.sliced(start, at).indexOf(QLatin1Char(':'));
        if (colon < 0 || colon + 1 == at || text.sliced(start + colon + 1, at - colon - 1) == filteredText)
            continue;
        if (!out)
            out.emplace();
        *out += text.sliced(copied, start + colon + 1 - copied);
        *out += filteredText;
        copied = start + at;
        scheme = end - 3;
    }
    if (out)
        *out += text.sliced(copied);
    return out;
}

QJsonValue filterAll(const QJsonValue &value)
{
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = filterAll(it.value());
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (auto it = array.begin(); it != array.end(); ++it)
            *it = filterAll(*it);
        return array;
    }
    return value.isNull() || value.isUndefined() ? value : QJsonValue(filteredText);
}

// Scrubbing rewrites a subtree only where something changed: most of an event
// holds no secret, and rewriting a Qt JSON container copies it.
std::optional<QJsonValue> scrubbed(const QJsonValue &value);

std::optional<QJsonObject> scrubbedObject(const QJsonObject &object)
{
    std::optional<QJsonObject> result;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        std::optional<QJsonValue> replacement;
        const KeyClass kind = classifyKey(it.key());
        if (kind.sensitive || kind.environmentDump) {
            const QJsonValue filtered = filterAll(it.value());
            if (filtered != it.value())
                replacement = filtered;
        } else {
            replacement = scrubbed(it.value());
        }
        if (!replacement)
            continue;
        if (!result)
            result = object;
        result->insert(it.key(), *replacement);
    }
    return result;
}

std::optional<QJsonValue> scrubbed(const QJsonValue &value)
{
    if (value.isObject()) {
        if (auto object = scrubbedObject(value.toObject()))
            return QJsonValue(*object);
        return std::nullopt;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        std::optional<QJsonArray> result;
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto replacement = scrubbed(array.at(i))) {
                if (!result)
                    result = array;
                result->replace(i, *replacement);
            }
        }
        return result ? std::optional<QJsonValue>(*result) : std::nullopt;
    }
    if (value.isString() && looksLikeCredential(value.toString()))
        return QJsonValue(filteredText);
    if (value.isString()) {
        // Relay's free-text rules, one after the other on what the previous left.
        const QString text = value.toString();
        std::optional<QString> filtered = (t_keep & KeepUrlPasswords) ? std::nullopt : withUrlPasswordsFiltered(text);
        if (std::optional<QString> more = withTextSecretsFiltered(filtered ? *filtered : text, t_keep))
            filtered = std::move(more);
        if (filtered)
            return QJsonValue(*filtered);
    }
    return std::nullopt;
}

QJsonObject scrubObject(const QJsonObject &object) { return scrubbedObject(object).value_or(object); }

QJsonValue scrubValue(const QJsonValue &value) { return scrubbed(value).value_or(value); }

// Header names are case-insensitive and come as an object or [name, value] pairs.
QJsonValue scrubHeaders(const QJsonValue &headers)
{
    if (headers.isObject())
        return scrubObject(headers.toObject());
    if (!headers.isArray())
        return scrubValue(headers);
    QJsonArray pairs = headers.toArray();
    for (auto it = pairs.begin(); it != pairs.end(); ++it) {
        QJsonArray pair = it->toArray();
        if (pair.size() != 2 || !pair.at(0).isString()) {
            *it = scrubValue(*it);
            continue;
        }
        pair[1] = isSensitiveKey(pair.at(0).toString()) ? filterAll(pair.at(1)) : scrubValue(pair.at(1));
        *it = pair;
    }
    return pairs;
}

// Every cookie is session state; keep the names for troubleshooting.
QJsonValue scrubCookies(const QJsonValue &cookies)
{
    if (cookies.isString()) {
        QStringList parts = cookies.toString().split(QLatin1Char(';'));
        for (QString &part : parts) {
            const qsizetype equals = part.indexOf(QLatin1Char('='));
            part = equals < 0 ? filteredText : part.left(equals + 1) + filteredText;
        }
        return parts.join(QLatin1Char(';'));
    }
    if (cookies.isArray()) {
        QJsonArray pairs = cookies.toArray();
        for (auto it = pairs.begin(); it != pairs.end(); ++it) {
            QJsonArray pair = it->toArray();
            if (pair.size() == 2) {
                pair[1] = filterAll(pair.at(1));
                *it = pair;
            } else {
                *it = filterAll(*it);
            }
        }
        return pairs;
    }
    return filterAll(cookies);
}

// Rewrites only the values of sensitive parameters, leaving the rest of the
// query text exactly as sent.
QString scrubQuery(const QString &query)
{
    QStringList parts = query.split(QLatin1Char('&'));
    for (QString &part : parts) {
        const qsizetype equals = part.indexOf(QLatin1Char('='));
        if (equals > 0 && isSensitiveKey(QUrl::fromPercentEncoding(part.left(equals).toUtf8())))
            part = part.left(equals + 1) + filteredText;
    }
    return parts.join(QLatin1Char('&'));
}

QJsonValue scrubRequestData(const QJsonValue &data)
{
    if (!data.isString())
        return scrubValue(data);
    // Form posts arrive as JSON text or url-encoded text.
    const QString text = data.toString();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error == QJsonParseError::NoError && doc.isObject())
        return QString::fromUtf8(QJsonDocument(scrubObject(doc.object())).toJson(QJsonDocument::Compact));
    if (error.error == QJsonParseError::NoError && doc.isArray())
        return QString::fromUtf8(QJsonDocument(scrubValue(doc.array()).toArray()).toJson(QJsonDocument::Compact));
    if (text.contains(QLatin1Char('=')) && !text.contains(QLatin1Char(' ')))
        return scrubQuery(text);
    return scrubValue(data);
}

QJsonObject scrubRequest(QJsonObject request)
{
    for (auto it = request.begin(); it != request.end(); ++it) {
        const QString key = it.key().toLower();
        // Query strings arrive as text or, like headers, as [name, value] pairs.
        if (key == QLatin1String("headers") || (key == QLatin1String("query_string") && !it.value().isString()))
            it.value() = scrubHeaders(it.value());
        else if (key == QLatin1String("cookies"))
            it.value() = scrubCookies(it.value());
        else if (key == QLatin1String("data"))
            it.value() = scrubRequestData(it.value());
        else if (key == QLatin1String("query_string") && it.value().isString())
            it.value() = scrubQuery(it.value().toString());
        else if (key == QLatin1String("url") && it.value().isString()) {
            const QString url = it.value().toString();
            const qsizetype question = url.indexOf(QLatin1Char('?'));
            if (question >= 0)
                it.value() = url.left(question + 1) + scrubQuery(url.mid(question + 1));
        } else if (key == QLatin1String("query_string") || key == QLatin1String("env") || it.value().isObject()
            || it.value().isArray())
            it.value() = isSensitiveKey(it.key()) ? filterAll(it.value()) : scrubValue(it.value());
    }
    return request;
}

// Parts written by the SDK itself, not by the application: nothing secret,
// and their keys (package names, trimming notes) would only cause false hits.
bool isSdkMember(std::string_view key)
{
    return key == "sdk" || key == "modules" || key == "_meta" || key == "debug_meta";
}

} // namespace

std::optional<unsigned> parseScrubOptOuts(const QString &names, QString *error)
{
    unsigned keep = 0;
    for (const QString &name : names.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString trimmed = name.trimmed().toLower();
        const auto found = std::find_if(std::begin(kOptOutNames), std::end(kOptOutNames),
            [&](const OptOutName &known) { return trimmed == QLatin1String(known.name); });
        if (found == std::end(kOptOutNames)) {
            if (error)
                *error = QStringLiteral("unknown scrub rule '%1' (known: creditcard, usssn, bearer, urlauth, pemkey)")
                             .arg(trimmed);
            return std::nullopt;
        }
        keep |= found->bit;
    }
    return keep;
}

QString scrubOptOutNames(unsigned keep)
{
    QStringList names;
    for (const OptOutName &known : kOptOutNames)
        if (keep & known.bit)
            names.append(QLatin1String(known.name));
    return names.join(QLatin1Char(','));
}

bool scrubSecrets(QJsonObject &event, unsigned keep)
{
    const KeepRules rules(keep);
    const QJsonObject original = event;
    bool changed = false;
    auto replace = [&](const QString &key, const QJsonValue &before, const QJsonValue &after) {
        if (after == before)
            return;
        event.insert(key, after);
        changed = true;
    };
    for (auto it = original.constBegin(); it != original.constEnd(); ++it) {
        if (isSdkMember(it.key().toStdString()))
            continue;
        if (it.key() == QLatin1String("request") && it.value().isObject())
            replace(it.key(), it.value(), scrubRequest(it.value().toObject()));
        else if (isSensitiveKey(it.key()))
            replace(it.key(), it.value(), filterAll(it.value()));
        else if (auto replacement = scrubbed(it.value()))
            replace(it.key(), it.value(), *replacement);
    }
    return changed;
}

namespace {

// ---- Would scrubSecrets() change this event? Read-only, on the simdjson
// DOM, mirroring the rewrite above rule by rule; where a rule is costly to
// mirror exactly (cookies, form bodies) it answers yes and lets the rewrite decide.

using json::Node;
using namespace std::string_view_literals;

bool isAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// looksLikeCredential() without converting: its gates, on UTF-8 bytes.
bool looksLikeCredential(std::string_view text)
{
    if (text.size() < 12) // never fewer bytes than UTF-16 units
        return false;
    size_t first = 0;
    while (first < text.size() && isAsciiSpace(text[first]))
        ++first;
    if (first < text.size() && (text[first] == '\'' || text[first] == '"'))
        ++first;
    if (first < text.size() && uchar(text[first]) < 0x80 && text[first] != 'b' && text[first] != 'B')
        return false;
    return looksLikeCredential(QString::fromUtf8(text.data(), qsizetype(text.size())));
}

// filterAll(value) != value
bool filterChanges(const Node &value)
{
    if (value.isString())
        return value.stringView() != "[Filtered]"sv;
    if (!value.isObject() && !value.isArray())
        return !value.isNullOrAbsent();
    return value.anyMember([](std::string_view, const Node &child) { return filterChanges(child); })
        || value.anyElement([](const Node &child) { return filterChanges(child); });
}

// scrubbed(value) has a value
// withUrlPasswordsFiltered() would change it: a "://" and an '@' first, then the same rule.
bool hasUrlPassword(std::string_view text)
{
    if (t_keep & KeepUrlPasswords)
        return false;
    const size_t scheme = text.find("://");
    if (scheme == std::string_view::npos || text.find('@', scheme) == std::string_view::npos)
        return false;
    return withUrlPasswordsFiltered(QString::fromUtf8(text.data(), qsizetype(text.size()))).has_value();
}

bool valueNeedsScrubbing(const Node &value)
{
    if (value.isString())
        return looksLikeCredential(value.stringView()) || hasUrlPassword(value.stringView())
            || hasTextSecret(value.stringView(), t_keep);
    return value.anyMember([](std::string_view key, const Node &child) {
        const KeyClass kind = classifyKey(key);
        return kind.sensitive || kind.environmentDump ? filterChanges(child) : valueNeedsScrubbing(child);
    }) || value.anyElement([](const Node &child) { return valueNeedsScrubbing(child); });
}

bool headersNeedScrubbing(const Node &headers)
{
    if (!headers.isArray())
        return valueNeedsScrubbing(headers);
    return headers.anyElement([](const Node &pair) {
        if (pair.size() != 2 || !pair.at(0).isString())
            return valueNeedsScrubbing(pair);
        return classifyKey(pair.at(0).stringView()).sensitive ? filterChanges(pair.at(1))
                                                              : valueNeedsScrubbing(pair.at(1));
    });
}

bool queryNeedsScrubbing(std::string_view query)
{
    const QString text = QString::fromUtf8(query.data(), qsizetype(query.size()));
    return scrubQuery(text) != text;
}

// scrubRequest(request) != request
bool requestNeedsScrubbing(const Node &request)
{
    return request.anyMember([](std::string_view name, const Node &value) {
        const QString key = QString::fromUtf8(name.data(), qsizetype(name.size())).toLower();
        if (key == QLatin1String("headers") || (key == QLatin1String("query_string") && !value.isString()))
            return headersNeedScrubbing(value);
        if (key == QLatin1String("cookies"))
            return value.isObject() ? filterChanges(value) : !value.isNullOrAbsent();
        if (key == QLatin1String("data"))
            return value.isString() || valueNeedsScrubbing(value);
        if (key == QLatin1String("query_string") && value.isString())
            return queryNeedsScrubbing(value.stringView());
        if (key == QLatin1String("url") && value.isString()) {
            const std::string_view url = value.stringView();
            const size_t question = url.find('?');
            return question != std::string_view::npos && queryNeedsScrubbing(url.substr(question + 1));
        }
        if (key == QLatin1String("query_string") || key == QLatin1String("env") || value.isObject() || value.isArray())
            return classifyKey(name).sensitive ? filterChanges(value) : valueNeedsScrubbing(value);
        return false;
    });
}

} // namespace

bool needsScrubbing(const Node &event, unsigned keep)
{
    const KeepRules rules(keep);
    return event.anyMember([](std::string_view key, const Node &value) {
        if (isSdkMember(key))
            return false;
        if (key == "request"sv && value.isObject())
            return requestNeedsScrubbing(value);
        return classifyKey(key).sensitive ? filterChanges(value) : valueNeedsScrubbing(value);
    });
}

std::optional<QByteArray> scrubbedPage(const QByteArray &html, unsigned keep)
{
    const KeepRules rules(keep);
    const std::string_view bytes(html.constData(), size_t(html.size()));
    if (!hasUrlPassword(bytes) && !hasTextSecret(bytes, keep))
        return std::nullopt;
    QString text = QString::fromUtf8(html);
    if (std::optional<QString> filtered = (keep & KeepUrlPasswords) ? std::nullopt : withUrlPasswordsFiltered(text))
        text = std::move(*filtered);
    if (std::optional<QString> filtered = withTextSecretsFiltered(text, keep))
        text = std::move(*filtered);
    return text.toUtf8();
}

} // namespace faultline
