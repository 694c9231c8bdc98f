#include "app/cli_event_json.h"

#include "model/event_parser.h"
#include "model/stored_event.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace faultline {

namespace {

QString isoTime(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); }

QJsonObject frameJson(const Frame &frame)
{
    QJsonObject json { { QStringLiteral("function"), frame.function }, { QStringLiteral("module"), frame.module },
        { QStringLiteral("filename"), frame.filename }, { QStringLiteral("lineno"), frame.lineno },
        { QStringLiteral("context_line"), frame.contextLine }, { QStringLiteral("vars"), frame.vars } };
    json.insert(QStringLiteral("in_app"), frame.inApp ? QJsonValue(*frame.inApp) : QJsonValue(QJsonValue::Null));
    return json;
}

QJsonArray pagesJson(const EventReader &events, const EventRow &row)
{
    QJsonArray pages;
    for (const EventPage &page : events.pages(row.rowId, false, nullptr))
        pages.append(QJsonObject { { QStringLiteral("filename"), page.filename },
            { QStringLiteral("content_type"), page.contentType }, { QStringLiteral("status_code"), page.statusCode },
            { QStringLiteral("size"), page.size }, { QStringLiteral("sha256"), page.sha256 } });
    return pages;
}

// Breadcrumbs in one shape whatever the SDK sent (a bare list or {values}, epoch or ISO times).
QJsonArray breadcrumbsJson(const QList<Breadcrumb> &breadcrumbs)
{
    QJsonArray array;
    for (const Breadcrumb &crumb : breadcrumbs)
        array.append(QJsonObject { { QStringLiteral("timestamp"),
                                       crumb.timestamp > 0 ? QJsonValue(isoTime(qint64(crumb.timestamp * 1000)))
                                                           : QJsonValue(QJsonValue::Null) },
            { QStringLiteral("type"), crumb.type }, { QStringLiteral("category"), crumb.category },
            { QStringLiteral("level"), crumb.level }, { QStringLiteral("message"), crumb.message },
            { QStringLiteral("data"), crumb.data } });
    return array;
}

} // namespace

// Built from the stored JSON through the same parser the collector uses, so
// this shows exactly what Faultline understood of the event.
QJsonObject cliEventJson(const EventReader &events, const EventRow &row, QString *parseError)
{
    QJsonObject json { { QStringLiteral("event_id"), row.eventId }, { QStringLiteral("issue_id"), row.issueId },
        { QStringLiteral("project_id"), row.projectId }, { QStringLiteral("level"), row.level },
        { QStringLiteral("title"), row.title }, { QStringLiteral("received"), isoTime(row.receivedMs) } };
    const auto parsed = parseEventJson(row.rawJson);
    if (!parsed.ok()) {
        *parseError = parsed.errors().isEmpty() ? QStringLiteral("unreadable") : parsed.errors().first().msg;
        return json;
    }
    const Event &event = parsed.value();
    const ExceptionValue *primary = event.primaryException();
    QJsonArray frames;
    for (const Frame &frame : primary && !primary->frames.isEmpty() ? primary->frames : event.threadFrames)
        frames.append(frameJson(frame));
    QJsonObject tags;
    for (const Tag &tag : event.tags)
        tags.insert(tag.first, tag.second);
    QJsonArray validation;
    for (const ValidationIssue &issue : event.validationErrors)
        validation.append(QJsonObject { { QStringLiteral("loc"), QJsonArray::fromStringList(issue.loc) },
            { QStringLiteral("msg"), issue.msg }, { QStringLiteral("type"), issue.type } });
    json.insert(QStringLiteral("message"), event.message.isEmpty() ? event.messageTemplate : event.message);
    json.insert(QStringLiteral("exception_type"), primary ? primary->type : QString());
    json.insert(QStringLiteral("exception_value"), primary ? primary->value : QString());
    json.insert(QStringLiteral("frames"), frames);
    json.insert(QStringLiteral("tags"), tags);
    json.insert(QStringLiteral("environment"), event.environment);
    json.insert(QStringLiteral("release"), event.release);
    json.insert(QStringLiteral("timestamp"), isoTime(row.timestampMs));
    json.insert(QStringLiteral("http_status"),
        event.http.statusCode > 0 ? QJsonValue(event.http.statusCode) : QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("error_body"),
        event.http.errorBody.isUndefined() ? QJsonValue(QJsonValue::Null) : event.http.errorBody);
    json.insert(QStringLiteral("validation_errors"), validation);
    json.insert(QStringLiteral("pages"), pagesJson(events, row));
    json.insert(QStringLiteral("breadcrumbs"), breadcrumbsJson(event.breadcrumbs));
    // As stored (after scrubbing), so nothing the SDK sent is hidden from the shell.
    for (const QString &section : { QStringLiteral("user"), QStringLiteral("request"), QStringLiteral("contexts"),
             QStringLiteral("sdk"), QStringLiteral("extra") }) {
        const QJsonValue value = event.raw.value(section);
        json.insert(section, value.isUndefined() ? QJsonValue(QJsonValue::Null) : value);
    }
    return json;
}

QByteArray cliRawEvent(const EventRow &row)
{
    return storedEventText(row.rawJson, row.eventId, row.timestampMs, StoredEventFormat::AsStored);
}

} // namespace faultline
