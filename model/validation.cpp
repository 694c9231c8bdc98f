#include "model/validation.h"

#include "model/json_text.h"
#include "model/pydantic_text.h"
#include "model/python_repr.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace faultline {

namespace {

const QString errorDetailCall = QStringLiteral("ErrorDetail");

// DRF's error detail: {"field": [msg, …]}, nested serializers as nested dicts,
// list serializers as lists of dicts. Messages are plain strings (JSON) or
// ErrorDetail(string=…, code=…) (the exception's repr).
void collectDetail(const QJsonValue &detail, const QStringList &loc, QList<ValidationIssue> &issues)
{
    if (detail.isString()) {
        issues.append({ loc, detail.toString(), QStringLiteral("invalid"), {} });
        return;
    }
    if (detail.isArray()) {
        const QJsonArray array = detail.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue entry = array.at(i);
            const bool nested
                = entry.isObject() && entry.toObject().value(QLatin1String("__call__")).toString() != errorDetailCall;
            collectDetail(entry, nested ? loc + QStringList { QString::number(i) } : loc, issues);
        }
        return;
    }
    if (!detail.isObject())
        return;
    const QJsonObject object = detail.toObject();
    if (object.value(QLatin1String("__call__")).toString() == errorDetailCall) {
        const QJsonValue string = object.contains(QLatin1String("string")) ? object.value(QLatin1String("string"))
                                                                           : object.value(QLatin1String("0"));
        const QJsonValue code = object.contains(QLatin1String("code")) ? object.value(QLatin1String("code"))
                                                                       : object.value(QLatin1String("1"));
        issues.append({ loc, json::toText(string), code.isString() ? code.toString() : QStringLiteral("invalid"), {} });
        return;
    }
    for (auto it = object.begin(); it != object.end(); ++it)
        collectDetail(it.value(), loc + QStringList { it.key() }, issues);
}

QStringList locOf(const QJsonValue &value)
{
    if (value.isArray()) {
        QStringList loc;
        for (const QJsonValue &part : value.toArray())
            loc.append(json::toText(part));
        return loc;
    }
    const QString text = json::scalarText(value);
    return text.isEmpty() ? QStringList {} : text.split(QLatin1Char('.'));
}

// [{loc, msg, type, input?}] as Pydantic's e.errors() gives them; or a DRF-style map.
QList<ValidationIssue> structuredIssues(const QJsonValue &value)
{
    QList<ValidationIssue> issues;
    if (value.isObject()) {
        collectDetail(value, {}, issues);
        return issues;
    }
    for (const QJsonValue &entry : value.toArray()) {
        const QJsonObject object = entry.toObject();
        if (object.isEmpty())
            continue;
        ValidationIssue issue;
        issue.loc = locOf(object.value(QLatin1String("loc")));
        issue.msg = json::toText(object.contains(QLatin1String("msg")) ? object.value(QLatin1String("msg"))
                                                                       : object.value(QLatin1String("message")));
        issue.type = json::toText(object.contains(QLatin1String("type")) ? object.value(QLatin1String("type"))
                                                                         : object.value(QLatin1String("code")));
        if (object.contains(QLatin1String("input")))
            issue.input = json::toText(object.value(QLatin1String("input")));
        issues.append(issue);
    }
    return issues;
}

QList<ValidationIssue> fromExtraAndContexts(const QJsonObject &raw)
{
    static const QStringList keys = { QStringLiteral("validation_errors"), QStringLiteral("errors") };
    // The plain JSON endpoint takes them at the top level.
    if (auto issues = structuredIssues(raw.value(QLatin1String("validation_errors"))); !issues.isEmpty())
        return issues;
    const QJsonObject extra = raw.value(QLatin1String("extra")).toObject();
    for (const QString &key : keys)
        if (auto issues = structuredIssues(extra.value(key)); !issues.isEmpty())
            return issues;

    // Context values must be objects, so a list arrives wrapped:
    // contexts.validation_errors.{errors|values}, or under any context's own key.
    const QJsonObject contexts = raw.value(QLatin1String("contexts")).toObject();
    const QJsonObject wrapper = contexts.value(QLatin1String("validation_errors")).toObject();
    for (const QString &key :
        { QStringLiteral("errors"), QStringLiteral("values"), QStringLiteral("validation_errors") })
        if (auto issues = structuredIssues(wrapper.value(key)); !issues.isEmpty())
            return issues;
    for (auto it = contexts.begin(); it != contexts.end(); ++it) {
        const QJsonObject context = it.value().toObject();
        for (const QString &key : keys)
            if (context.value(key).isArray())
                if (auto issues = structuredIssues(context.value(key)); !issues.isEmpty())
                    return issues;
    }
    return {};
}

QList<ValidationIssue> fromExceptionValue(const ExceptionValue &exception)
{
    if (auto issues = detail::parsePydanticErrors(exception.value); !issues.isEmpty())
        return issues;
    const QString value = exception.value.trimmed();
    const bool looksLikeDetail = value.startsWith(QLatin1Char('{')) || value.startsWith(QLatin1Char('['));
    if (!looksLikeDetail || !exception.type.contains(QLatin1String("ValidationError")))
        return {};
    const auto parsed = detail::parsePythonRepr(value);
    if (!parsed)
        return {};
    QList<ValidationIssue> issues;
    collectDetail(*parsed, {}, issues);
    return issues;
}

// DRF knows the field values the client posted: show them next to the error.
void fillInputsFromRequest(QList<ValidationIssue> &issues, const QJsonObject &raw)
{
    const QJsonObject data = raw.value(QLatin1String("request")).toObject().value(QLatin1String("data")).toObject();
    for (ValidationIssue &issue : issues)
        if (issue.input.isEmpty() && issue.loc.size() == 1 && data.contains(issue.loc.first()))
            issue.input = json::toText(data.value(issue.loc.first()));
}

int statusOf(const QJsonValue &value)
{
    const auto status = json::toInteger(value);
    return status && *status >= 100 && *status <= 999 ? static_cast<int>(*status) : 0;
}

// A body sent as JSON text is more useful parsed.
QJsonValue bodyOf(const QJsonValue &value)
{
    if (!value.isString())
        return value;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(value.toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return value;
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return value;
}

QJsonValue firstPresent(const QJsonObject &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (!value.isNull() && !value.isUndefined())
            return value;
    }
    return QJsonValue(QJsonValue::Undefined);
}

} // namespace

QList<ValidationIssue> extractValidationErrors(const Event &event)
{
    return extractValidationErrors(event, extractHttpOutcome(event));
}

QList<ValidationIssue> extractValidationErrors(const Event &event, const HttpOutcome &http)
{
    QList<ValidationIssue> issues = fromExtraAndContexts(event.raw);
    for (auto it = event.exceptions.crbegin(); issues.isEmpty() && it != event.exceptions.crend(); ++it)
        issues = fromExceptionValue(*it);
    if (issues.isEmpty()) {
        // A DRF exception handler's body, e.g. {"error": {"email": ["…"]}, "status_code": 400}.
        const QJsonObject body = http.errorBody.toObject();
        for (const char *key : { "errors", "error", "detail" })
            if (body.value(QLatin1String(key)).isObject() && issues.isEmpty())
                collectDetail(body.value(QLatin1String(key)), {}, issues);
    }
    fillInputsFromRequest(issues, event.raw);
    return issues;
}

HttpOutcome extractHttpOutcome(const Event &event)
{
    const QJsonObject &raw = event.raw;
    const QJsonObject contextResponse
        = raw.value(QLatin1String("contexts")).toObject().value(QLatin1String("response")).toObject();
    const QJsonObject response = raw.value(QLatin1String("response")).toObject();
    const QJsonObject extra = raw.value(QLatin1String("extra")).toObject();

    HttpOutcome outcome;
    outcome.statusCode = statusOf(contextResponse.value(QLatin1String("status_code")));
    if (!outcome.statusCode)
        outcome.statusCode = statusOf(response.value(QLatin1String("status_code")));
    if (!outcome.statusCode)
        outcome.statusCode = statusOf(raw.value(QLatin1String("http_status")));
    if (!outcome.statusCode)
        outcome.statusCode = statusOf(event.tag(QStringLiteral("http.status_code")));
    if (!outcome.statusCode)
        outcome.statusCode = statusOf(event.tag(QStringLiteral("status_code")));

    QJsonValue body = firstPresent(contextResponse, { "data", "body" });
    if (body.isUndefined())
        body = firstPresent(response, { "body", "data" });
    if (body.isUndefined())
        body = firstPresent(raw, { "error_body" });
    if (body.isUndefined())
        body = firstPresent(extra, { "error_body", "response_body" });
    outcome.errorBody = bodyOf(body);

    // DRF handlers often echo the status into the body they send.
    if (!outcome.statusCode && outcome.errorBody.isObject())
        outcome.statusCode = statusOf(outcome.errorBody.toObject().value(QLatin1String("status_code")));
    return outcome;
}

const QStringList &membersReadFromRaw()
{
    static const QStringList members = { QStringLiteral("validation_errors"), QStringLiteral("extra"),
        QStringLiteral("contexts"), QStringLiteral("request"), QStringLiteral("response"),
        QStringLiteral("http_status"), QStringLiteral("error_body") };
    return members;
}

} // namespace faultline
