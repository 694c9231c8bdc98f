#include "mcp/event_report.h"

#include "mcp/report_budget.h"
#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace faultline {

namespace {

constexpr int kMaxFrames = 40; // the crash end of the stack
constexpr int kMaxVarsPerFrame = 40;
constexpr int kMaxValueChars = 300;
constexpr int kMaxBodyChars = 4000;
constexpr int kMaxBreadcrumbs = 20;
constexpr int kMaxTextChars = 2000;

QString capped(const QString &text, int maxChars)
{
    return text.size() <= maxChars
        ? text
        : text.left(maxChars) + QStringLiteral("… [%1 more characters]").arg(text.size() - maxChars);
}

// A value kept as JSON while small, else its text cut short: locals and
// bodies can be megabytes of repr.
QJsonValue cappedValue(const QJsonValue &value, int maxChars)
{
    if (value.isString())
        return capped(value.toString(), maxChars);
    if (!value.isObject() && !value.isArray())
        return value;
    const QString text
        = QString::fromUtf8(value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                                             : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return text.size() <= maxChars ? value : QJsonValue(capped(text, maxChars));
}

// Minified bundles put a whole file on one line; a frame's context must not be that file.
QJsonArray cappedLines(const QStringList &lines)
{
    QJsonArray array;
    for (const QString &line : lines)
        array.append(capped(line, kMaxValueChars));
    return array;
}

QJsonValue orNull(const QString &text) { return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text); }

QJsonObject frameJson(const Frame &frame)
{
    QJsonObject json { { QStringLiteral("filename"), frame.filename }, { QStringLiteral("function"), frame.function },
        { QStringLiteral("module"), orNull(frame.module) },
        { QStringLiteral("lineno"), frame.lineno > 0 ? QJsonValue(frame.lineno) : QJsonValue() },
        { QStringLiteral("in_app"), isInApp(frame) } };
    if (!frame.absPath.isEmpty() && frame.absPath != frame.filename)
        json.insert(QStringLiteral("abs_path"), frame.absPath);
    if (frame.colno > 0)
        json.insert(QStringLiteral("colno"), frame.colno);
    if (!frame.contextLine.isEmpty())
        json.insert(QStringLiteral("context"),
            QJsonObject { { QStringLiteral("pre"), cappedLines(frame.preContext) },
                { QStringLiteral("line"), capped(frame.contextLine, kMaxValueChars) },
                { QStringLiteral("post"), cappedLines(frame.postContext) } });
    if (!frame.vars.isEmpty()) {
        QJsonObject vars;
        int kept = 0;
        for (auto it = frame.vars.begin(); it != frame.vars.end() && kept < kMaxVarsPerFrame; ++it, ++kept)
            vars.insert(it.key(), cappedValue(it.value(), kMaxValueChars));
        json.insert(QStringLiteral("vars"), vars);
        if (frame.vars.size() > kMaxVarsPerFrame)
            json.insert(QStringLiteral("vars_omitted"), int(frame.vars.size()) - kMaxVarsPerFrame);
    }
    return json;
}

// Oldest first like Sentry's payload, so the crashing frame is last.
QJsonObject framesJson(const QList<Frame> &frames, FrameSelection selection)
{
    QList<Frame> chosen;
    for (const Frame &frame : frames)
        if (selection == FrameSelection::All || isInApp(frame))
            chosen.append(frame);
    const qsizetype omitted = std::max<qsizetype>(0, chosen.size() - kMaxFrames);
    QJsonArray array;
    for (qsizetype i = omitted; i < chosen.size(); ++i)
        array.append(frameJson(chosen.at(i)));
    QJsonObject json { { QStringLiteral("frames"), array }, { QStringLiteral("frames_total"), int(frames.size()) } };
    if (omitted > 0)
        json.insert(QStringLiteral("frames_omitted_oldest"), int(omitted));
    return json;
}

QJsonArray exceptionsJson(const Event &event, FrameSelection selection)
{
    QJsonArray chain;
    for (const ExceptionValue &exception : event.exceptions) {
        QJsonObject json = framesJson(exception.frames, selection);
        json.insert(QStringLiteral("type"), exception.type);
        json.insert(QStringLiteral("value"), capped(exception.value, kMaxTextChars));
        json.insert(QStringLiteral("module"), orNull(exception.module));
        if (exception.mechanism) {
            QJsonObject mechanism { { QStringLiteral("type"), exception.mechanism->type } };
            if (exception.mechanism->handled)
                mechanism.insert(QStringLiteral("handled"), *exception.mechanism->handled);
            json.insert(QStringLiteral("mechanism"), mechanism);
        }
        chain.append(json);
    }
    return chain;
}

// Sentry's request interface: headers come as an object or as [name, value] pairs.
QJsonValue requestJson(const QJsonObject &raw)
{
    const QJsonObject request = raw.value(QLatin1String("request")).toObject();
    if (request.isEmpty())
        return QJsonValue::Null;
    QJsonObject headers;
    const QJsonValue rawHeaders = request.value(QLatin1String("headers"));
    if (rawHeaders.isObject())
        headers = rawHeaders.toObject();
    for (const QJsonValue &pair : rawHeaders.toArray())
        if (pair.toArray().size() == 2)
            headers.insert(pair.toArray().at(0).toString(), pair.toArray().at(1));
    QJsonObject json;
    for (const char *key : { "method", "url", "query_string" })
        if (request.contains(QLatin1String(key)))
            json.insert(QLatin1String(key), cappedValue(request.value(QLatin1String(key)), kMaxTextChars));
    json.insert(QStringLiteral("headers"), headers);
    if (request.contains(QLatin1String("data")))
        json.insert(QStringLiteral("data"), cappedValue(request.value(QLatin1String("data")), kMaxBodyChars));
    return json;
}

QJsonArray breadcrumbsJson(const QList<Breadcrumb> &breadcrumbs)
{
    QJsonArray array;
    for (qsizetype i = std::max<qsizetype>(0, breadcrumbs.size() - kMaxBreadcrumbs); i < breadcrumbs.size(); ++i) {
        const Breadcrumb &crumb = breadcrumbs.at(i);
        QJsonObject json { { QStringLiteral("category"), crumb.category }, { QStringLiteral("level"), crumb.level },
            { QStringLiteral("message"), capped(crumb.message, kMaxValueChars) } };
        if (crumb.timestamp > 0)
            json.insert(QStringLiteral("timestamp"), isoTimeUtc(qint64(crumb.timestamp * 1000)));
        if (!crumb.data.isEmpty())
            json.insert(QStringLiteral("data"), cappedValue(crumb.data, kMaxValueChars));
        array.append(json);
    }
    return array;
}

QJsonArray validationJson(const QList<ValidationIssue> &issues)
{
    QJsonArray array;
    for (const ValidationIssue &issue : issues)
        array.append(QJsonObject { { QStringLiteral("loc"), QJsonArray::fromStringList(issue.loc) },
            { QStringLiteral("msg"), issue.msg }, { QStringLiteral("type"), issue.type },
            { QStringLiteral("input"), orNull(capped(issue.input, kMaxValueChars)) } });
    return array;
}

QJsonArray pagesJson(const EventReader &events, qint64 eventRow)
{
    QJsonArray pages;
    QString error; // an unreadable page list reads as none: the event itself is what was asked for
    for (const EventPage &page : events.pages(eventRow, false, &error))
        pages.append(QJsonObject { { QStringLiteral("filename"), page.filename },
            { QStringLiteral("content_type"), page.contentType },
            { QStringLiteral("status_code"), page.statusCode > 0 ? QJsonValue(page.statusCode) : QJsonValue() },
            { QStringLiteral("size"), page.size }, { QStringLiteral("sha256"), page.sha256 } });
    return pages;
}

} // namespace

QString isoTimeUtc(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); }

QString issueUri(qint64 issueId) { return QStringLiteral("faultline://issue/%1").arg(issueId); }

QJsonObject issueSummaryJson(const IssueRow &issue, const QString &projectName)
{
    return { { QStringLiteral("id"), issue.id }, { QStringLiteral("uri"), issueUri(issue.id) },
        { QStringLiteral("project_id"), issue.projectId }, { QStringLiteral("project"), projectName },
        { QStringLiteral("title"), issue.title }, { QStringLiteral("culprit"), issue.culprit },
        { QStringLiteral("level"), issue.level }, { QStringLiteral("status"), issue.status },
        { QStringLiteral("regressed"), issue.regressed }, { QStringLiteral("count"), issue.count },
        { QStringLiteral("first_seen"), isoTimeUtc(issue.firstSeenMs) },
        { QStringLiteral("last_seen"), isoTimeUtc(issue.lastSeenMs) } };
}

QJsonObject eventListItemJson(const EventRow &row)
{
    return { { QStringLiteral("event_id"), row.eventId }, { QStringLiteral("issue_id"), row.issueId },
        { QStringLiteral("received"), isoTimeUtc(row.receivedMs) },
        { QStringLiteral("timestamp"), isoTimeUtc(row.timestampMs) }, { QStringLiteral("level"), row.level },
        { QStringLiteral("title"), row.title }, { QStringLiteral("environment"), orNull(row.environment) },
        { QStringLiteral("release"), orNull(row.release) },
        { QStringLiteral("http_status"), row.httpStatus > 0 ? QJsonValue(row.httpStatus) : QJsonValue() },
        { QStringLiteral("has_locals"), row.hasLocals } };
}

QJsonObject eventReportJson(const EventReader &events, const EventRow &row, FrameSelection frames, QString *parseError)
{
    QJsonObject json = eventListItemJson(row);
    json.insert(QStringLiteral("project_id"), row.projectId);
    json.insert(QStringLiteral("platform"), row.platform);
    const auto parsed = parseEventJson(row.rawJson);
    if (!parsed.ok()) {
        if (parseError)
            *parseError = parsed.errors().isEmpty() ? QStringLiteral("unreadable") : parsed.errors().first().msg;
        json.insert(QStringLiteral("message"), row.message);
        json.insert(QStringLiteral("culprit"), row.culprit);
        return json;
    }
    const Event &event = parsed.value();
    json.insert(QStringLiteral("message"),
        capped(event.message.isEmpty() ? event.messageTemplate : event.message, kMaxTextChars));
    json.insert(QStringLiteral("culprit"), row.culprit);
    json.insert(QStringLiteral("transaction"), orNull(event.transaction));
    json.insert(QStringLiteral("server_name"), orNull(event.serverName));
    json.insert(QStringLiteral("exceptions"), exceptionsJson(event, frames));
    if (event.exceptions.isEmpty() && !event.threadFrames.isEmpty())
        json.insert(QStringLiteral("thread_stack"), framesJson(event.threadFrames, frames));
    QJsonObject tags;
    for (const Tag &tag : event.tags)
        tags.insert(tag.first, tag.second);
    json.insert(QStringLiteral("tags"), tags);
    json.insert(QStringLiteral("request"), requestJson(event.raw));
    QJsonObject outcome;
    if (event.http.statusCode > 0)
        outcome.insert(QStringLiteral("status_code"), event.http.statusCode);
    if (!event.http.errorBody.isUndefined())
        outcome.insert(QStringLiteral("error_body"), cappedValue(event.http.errorBody, kMaxBodyChars));
    json.insert(QStringLiteral("http_outcome"), outcome.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(outcome));
    json.insert(QStringLiteral("validation_errors"), validationJson(event.validationErrors));
    json.insert(QStringLiteral("pages"), pagesJson(events, row.rowId));
    if (frames == FrameSelection::All)
        json.insert(QStringLiteral("breadcrumbs"), breadcrumbsJson(event.breadcrumbs));
    fitEventReportToBudget(json);
    return json;
}

} // namespace faultline
