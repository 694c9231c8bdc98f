// IssueTools: the tools about one issue or event (get_issue, get_event,
// list_events, resolve/ignore, explain_grouping).
#include "mcp/event_report.h"
#include "mcp/issue_tools.h"
#include "mcp/tool_arguments.h"
#include "mcp/tool_catalog.h"
#include "model/event_parser.h"
#include "model/grouping.h"
#include "model/query/query_parser.h"
#include "storage/issue_summary.h"
#include "storage/issue_summary_json.h"
#include "storage/project_store.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonArray>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

// get_issue's bounds: the summary stays a few kilobytes beside the latest event.
constexpr int kTopTagValues = 10;
constexpr int kMaxTagKeys = 25;
constexpr int kMaxReleases = 20;

// Why issue `id` cannot be read: it does not exist, or what stopped the read.
QString issueUnreadable(const StorageError &error, qint64 id)
{
    if (error.kind == StorageError::Kind::NotFound)
        return QStringLiteral("no issue %1 (search_issues lists the ids)").arg(id);
    return issueReadFailure(error, id);
}

QString projectName(StorageBackend &store, qint64 projectId)
{
    const auto project = store.projects().byId(projectId);
    return project ? project->name : QString();
}

// What each grouping basis means, in the words of model/grouping_v2.h.
QString ruleExplanation(const QString &rule)
{
    if (rule == u"exception")
        return QStringLiteral("Grouped by each exception's module-qualified type and the module (or script path), "
                              "function and source line of each in-app frame (all frames when none is in-app). Line "
                              "numbers are left out; the exception value counts, with numbers and ids masked, only "
                              "when no frame does.");
    if (rule == u"message")
        return QStringLiteral("Grouped by the log message template (or the message), with numbers, ids, IPs, e-mails "
                              "and timestamps masked.");
    if (rule == u"stack")
        return QStringLiteral("Grouped by the frames of the thread's stack (there was no exception).");
    if (rule == u"fingerprint")
        return QStringLiteral("Grouped by the fingerprint the SDK sent (sentry_sdk scope.fingerprint); "
                              "{{ default }} parts expand to the default components.");
    return QStringLiteral("Nothing to group by: every such event shares one issue per project.");
}

// "type:ZeroDivisionError", "frame:app.views.divide | return a / b": the parts that counted.
QJsonArray countedComponents(const GroupingExplanation &explanation)
{
    QJsonArray components;
    for (const GroupingPart &part : explanation.parts) {
        if (!part.counts())
            continue;
        const QString kind = groupingPartKindName(part.kind);
        if (part.kind == GroupingPart::Kind::Frame)
            components.append(kind + u':' + groupingFrameLabel(part)
                + (part.contextLine.isEmpty() ? QString() : QStringLiteral(" | ") + part.contextLine));
        else
            components.append(kind + u':' + part.value);
    }
    return components;
}

} // namespace

std::optional<QJsonObject> IssueTools::issueReport(qint64 issueId, QString *error, bool *missing)
{
    const auto store = open(BackendUse::Read, error);
    if (!store)
        return std::nullopt;
    const auto issue = store->issues().byId(issueId);
    if (!issue) {
        *error = issueUnreadable(issue.error(), issueId);
        if (missing)
            *missing = issue.error().kind == StorageError::Kind::NotFound;
        return std::nullopt;
    }
    QString summaryError;
    const IssueSummary summary = store->issues().summary(issueId, kTopTagValues, &summaryError);
    if (!summaryError.isEmpty()) {
        *error = QStringLiteral("reading the issue's tag counters failed: %1").arg(summaryError);
        return std::nullopt;
    }
    QJsonObject issueJson = issueSummaryJson(*issue, projectName(*store, issue->projectId));
    addIssueSummaryJson(issueJson, *issue, summary, QDateTime::currentMSecsSinceEpoch(),
        SummaryJsonLimits { .releases = kMaxReleases, .tagKeys = kMaxTagKeys });
    const EventReader &events = store->events();
    QString eventsError;
    const qint64 stored = events.countForIssue(issueId, &eventsError);
    const QList<EventRow> latest = events.forIssue(issueId, 1, 0, true, &eventsError);
    if (!eventsError.isEmpty()) {
        *error = QStringLiteral("reading the issue's events failed: %1").arg(eventsError);
        return std::nullopt;
    }
    QJsonObject report { { QStringLiteral("issue"), issueJson }, { QStringLiteral("events_stored"), stored } };
    if (latest.isEmpty()) {
        report.insert(QStringLiteral("latest_event"), QJsonValue::Null); // pruned by retention
        return report;
    }
    QString parseError;
    report.insert(QStringLiteral("latest_event"),
        eventReportJson(events, latest.first(), FrameSelection::InAppOnly, &parseError));
    if (!parseError.isEmpty())
        spdlog::warn(
            "mcp: stored event {} does not parse: {}", latest.first().eventId.toStdString(), parseError.toStdString());
    return report;
}

QJsonObject IssueTools::getIssue(const QJsonObject &arguments)
{
    ToolArguments args(arguments, { QStringLiteral("id") });
    const qint64 id = args.requiredId(QStringLiteral("id"));
    if (!args.ok())
        return toolError(args.error());
    QString error;
    const auto report = issueReport(id, &error);
    return report ? toolSuccess(*report) : toolError(error);
}

QJsonObject IssueTools::getEvent(const QJsonObject &arguments)
{
    ToolArguments args(arguments, { QStringLiteral("event_id") });
    const QString given = args.requiredString(QStringLiteral("event_id"));
    if (!args.ok())
        return toolError(args.error());
    const QString eventId = normalizeEventId(given);
    if (eventId.isEmpty())
        return toolError(
            QStringLiteral("\"event_id\" must be 32 hex digits (dashes allowed), got \"%1\"").arg(given.left(60)));
    QString error;
    const auto store = open(BackendUse::Read, &error);
    if (!store)
        return toolError(error);
    const auto row = store->events().byEventId(eventId, 0, true);
    if (!row && row.error().kind == StorageError::Kind::NotFound)
        return toolError(QStringLiteral("no event %1 (list_events lists an issue's events)").arg(eventId));
    if (!row)
        return toolError(QStringLiteral("reading event %1 failed: %2").arg(eventId, storageErrorText(row.error())));
    return toolSuccess(eventReportJson(store->events(), *row, FrameSelection::All));
}

QJsonObject IssueTools::listEvents(const QJsonObject &arguments)
{
    ToolArguments args(arguments,
        { QStringLiteral("issue_id"), QStringLiteral("query"), QStringLiteral("limit"), QStringLiteral("cursor") });
    const qint64 issueId = args.requiredId(QStringLiteral("issue_id"));
    const QString queryText = args.optionalString(QStringLiteral("query"));
    const int limit = args.limit(QStringLiteral("limit"), kDefaultPageSize, kMaxPageSize);
    const int offset = args.cursorOffset(QStringLiteral("cursor"));
    if (!args.ok())
        return toolError(args.error());
    const auto query = parseQuery(queryText);
    if (!query.ok())
        return toolError(QStringLiteral("bad query at position %1: %2")
                             .arg(querySpan(query.errors().first()).start + 1)
                             .arg(query.errors().first().msg));
    QString error;
    const auto store = open(BackendUse::Read, &error);
    if (!store)
        return toolError(error);
    if (const auto issue = store->issues().byId(issueId); !issue)
        return toolError(issueUnreadable(issue.error(), issueId));
    const EventReader &events = store->events();
    QList<EventRow> rows = events.searchInIssue(issueId, query.value(), limit + 1, offset, 0, false, &error);
    const qint64 stored = error.isEmpty() ? events.countForIssue(issueId, &error) : 0;
    if (!error.isEmpty())
        return toolError(QStringLiteral("reading events failed: %1").arg(error));
    QJsonObject page { { QStringLiteral("issue_id"), issueId }, { QStringLiteral("query"), queryText },
        { QStringLiteral("events_stored"), stored } };
    if (rows.size() > limit) {
        rows.resize(limit);
        page.insert(QStringLiteral("nextCursor"), encodeCursor(offset + limit));
    }
    QJsonArray array;
    for (const EventRow &row : rows)
        array.append(eventListItemJson(row));
    page.insert(QStringLiteral("events"), array);
    return toolSuccess(page);
}

QJsonObject IssueTools::changeStatus(const QString &tool, const QJsonObject &arguments)
{
    ToolArguments args(arguments, { QStringLiteral("id"), QStringLiteral("confirm") });
    const qint64 id = args.requiredId(QStringLiteral("id"));
    args.confirmation(QStringLiteral("confirm"));
    if (!args.ok())
        return toolError(args.error());
    QString error;
    const auto store = open(BackendUse::Write, &error);
    if (!store)
        return toolError(error);
    const IssueReader &issues = store->issues();
    const auto before = issues.byId(id);
    if (!before)
        return toolError(issueUnreadable(before.error(), id));
    StatusChange change;
    change.status = tool == u"resolve_issue" ? IssueStatus::Resolved : IssueStatus::Ignored;
    const IssueStatus status = change.status;
    const int changed = store->statuses().apply({ id }, change, QDateTime::currentMSecsSinceEpoch(), nullptr, &error);
    if (changed < 0)
        return toolError(QStringLiteral("could not change the status: %1").arg(error));
    spdlog::info("mcp: {} issue {} ({} -> {})", tool.toStdString(), id, before->status.toStdString(),
        issueStatusName(status).toStdString());
    const auto after = issues.byId(id);
    return toolSuccess({ { QStringLiteral("issue"),
                             issueSummaryJson(after ? *after : *before, projectName(*store, before->projectId)) },
        { QStringLiteral("previous_status"), before->status }, { QStringLiteral("changed"), changed > 0 } });
}

QJsonObject IssueTools::explainGrouping(const QJsonObject &arguments)
{
    ToolArguments args(arguments, { QStringLiteral("issue_id") });
    const qint64 issueId = args.requiredId(QStringLiteral("issue_id"));
    if (!args.ok())
        return toolError(args.error());
    QString error;
    const auto store = open(BackendUse::Read, &error);
    if (!store)
        return toolError(error);
    if (const auto issue = store->issues().byId(issueId); !issue)
        return toolError(issueUnreadable(issue.error(), issueId));
    const QList<EventRow> latest = store->events().forIssue(issueId, 1, 0, true, &error);
    const std::optional<StoredGroupingKey> stored
        = latest.isEmpty() ? std::nullopt : store->events().groupingKey(latest.first().rowId, &error);
    const QList<StoredGroupingKey> issueKeys = store->merger().keys(issueId, &error);
    if (!error.isEmpty())
        return toolError(QStringLiteral("reading the issue's grouping failed: %1").arg(error));
    if (latest.isEmpty())
        return toolError(QStringLiteral("issue %1 has no stored event left to compute its grouping from").arg(issueId));
    const auto event = parseEventJson(latest.first().rawJson);
    if (!event.ok())
        return toolError(QStringLiteral("the latest event of issue %1 does not parse: %2")
                             .arg(issueId)
                             .arg(event.errors().value(0).msg));
    // The key the latest event was grouped by, as stored; recomputed for events stored before keys were.
    const IssueKey key = groupEvent(event.value());
    const GroupingExplanation explanation
        = stored && !stored->explanation.parts.isEmpty() ? stored->explanation : key.explanation;
    bool matches = false;
    for (const StoredGroupingKey &issueKey : issueKeys)
        matches = matches || issueKey.hash == key.fingerprint || issueKey.hash == key.legacyFingerprint;
    return toolSuccess({ { QStringLiteral("issue_id"), issueId },
        { QStringLiteral("event_id"), latest.first().eventId },
        { QStringLiteral("grouping_version"), explanation.strategy }, { QStringLiteral("rule"), explanation.basis },
        { QStringLiteral("explanation"), ruleExplanation(explanation.basis) },
        { QStringLiteral("summary"), describeGrouping(explanation) },
        { QStringLiteral("components"), countedComponents(explanation) },
        { QStringLiteral("parts"), toJson(explanation).value(QLatin1String("parts")) },
        { QStringLiteral("fingerprint"), key.fingerprint }, { QStringLiteral("matches_stored_fingerprint"), matches },
        { QStringLiteral("sdk_fingerprint"), QJsonArray::fromStringList(event.value().fingerprint) } });
}

} // namespace faultline
