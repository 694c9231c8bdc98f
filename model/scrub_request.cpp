#include "model/scrub_request.h"

#include "model/json_dom.h"
#include "model/scrub_tree.h"
#include "model/secret_keys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>
#include <QUrl>

#include <algorithm>

namespace faultline {

namespace {

using json::Node;
using namespace scrub_tree;

QString fromUtf8(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }

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

// Every cookie is session state; keep the names for troubleshooting.
QJsonValue scrubCookies(const QJsonValue &cookies)
{
    if (cookies.isString()) {
        QStringList parts = cookies.toString().split(QLatin1Char(';'));
        for (QString &part : parts) {
            const qsizetype equals = part.indexOf(QLatin1Char('='));
            part = equals < 0 ? filteredText() : part.left(equals + 1) + filteredText();
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

// Costly to mirror exactly for strings and pairs: yes, and the rewrite decides.
bool cookiesMayChange(const Node &cookies)
{
    return cookies.isObject() ? filterChanges(cookies) : !cookies.isNullOrAbsent();
}

// Rewrites only the values of sensitive parameters, leaving the rest of the
// query text exactly as sent.
QString scrubQuery(const QString &query)
{
    QStringList parts = query.split(QLatin1Char('&'));
    for (QString &part : parts) {
        const qsizetype equals = part.indexOf(QLatin1Char('='));
        if (equals > 0 && isSensitiveKey(QUrl::fromPercentEncoding(part.left(equals).toUtf8())))
            part = part.left(equals + 1) + filteredText();
    }
    return parts.join(QLatin1Char('&'));
}

bool queryNeedsScrubbing(std::string_view query)
{
    const QString text = fromUtf8(query);
    return scrubQuery(text) != text;
}

// Query strings arrive as text or, like headers, as [name, value] pairs.
QJsonValue scrubQueryString(const QJsonValue &query)
{
    return query.isString() ? QJsonValue(scrubQuery(query.toString())) : scrubHeaders(query);
}

bool queryStringNeedsScrubbing(const Node &query)
{
    return query.isString() ? queryNeedsScrubbing(query.stringView()) : headersNeedScrubbing(query);
}

QJsonValue scrubUrl(const QJsonValue &url)
{
    if (!url.isString())
        return url.isObject() || url.isArray() ? scrubValue(url) : url;
    const QString text = url.toString();
    const qsizetype question = text.indexOf(QLatin1Char('?'));
    return question < 0 ? url : QJsonValue(text.left(question + 1) + scrubQuery(text.mid(question + 1)));
}

bool urlNeedsScrubbing(const Node &url)
{
    if (!url.isString())
        return (url.isObject() || url.isArray()) && valueNeedsScrubbing(url);
    const std::string_view text = url.stringView();
    const size_t question = text.find('?');
    return question != std::string_view::npos && queryNeedsScrubbing(text.substr(question + 1));
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

// A form body's text is costly to mirror (JSON or url-encoded): yes, and the rewrite decides.
bool requestDataMayChange(const Node &data) { return data.isString() || valueNeedsScrubbing(data); }

constexpr RequestMemberRule kRequestMemberRules[] = {
    { "headers", scrubHeaders, headersNeedScrubbing, R"({"Authorization":"Basic dXNlcjpw","Accept":"text/html"})" },
    { "cookies", scrubCookies, cookiesMayChange, R"({"sessionid":"abc"})" },
    { "data", scrubRequestData, requestDataMayChange, R"({"name":"n","password":"p"})" },
    { "query_string", scrubQueryString, queryStringNeedsScrubbing, R"("page=2&access%5Ftoken=z")" },
    { "url", scrubUrl, urlNeedsScrubbing, R"("/y?api_key=abc&page=2")" },
    // A WSGI/CGI environment: scrubbed like any value, whatever its type.
    { "env", scrubValue, valueNeedsScrubbing, R"({"REMOTE_ADDR":"10.0.0.1","SECRET_KEY":"s"})" },
};

const RequestMemberRule *ruleFor(const QString &member)
{
    const QString lower = member.toLower();
    const auto *found = std::find_if(std::begin(kRequestMemberRules), std::end(kRequestMemberRules),
        [&](const RequestMemberRule &rule) { return lower == QLatin1String(rule.member); });
    return found == std::end(kRequestMemberRules) ? nullptr : found;
}

} // namespace

std::span<const RequestMemberRule> requestMemberRules() { return kRequestMemberRules; }

QJsonObject scrubRequest(QJsonObject request)
{
    for (auto it = request.begin(); it != request.end(); ++it) {
        if (const RequestMemberRule *rule = ruleFor(it.key()))
            it.value() = rule->rewrite(it.value());
        else if (it.value().isObject() || it.value().isArray())
            it.value() = isSensitiveKey(it.key()) ? filterAll(it.value()) : scrubValue(it.value());
    }
    return request;
}

bool requestNeedsScrubbing(const Node &request)
{
    return request.anyMember([](std::string_view name, const Node &value) {
        if (const RequestMemberRule *rule = ruleFor(fromUtf8(name)))
            return rule->mayChange(value);
        if (value.isObject() || value.isArray())
            return classifyKey(name).sensitive ? filterChanges(value) : valueNeedsScrubbing(value);
        return false;
    });
}

} // namespace faultline
