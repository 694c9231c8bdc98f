#include "ui/triage/issue_detail_snapshot.h"

#include "model/event_parser.h"
#include "storage/store_readers.h"

namespace faultline {

IssueActivity readIssueActivity(
    const IssueRow &issue, const EventReader &events, const IssueReader &issues, const HistogramRange &chartRange)
{
    IssueActivity activity;
    activity.issue = issue;
    activity.eventCount = int(events.countForIssue(issue.id, &activity.error));
    activity.histogram = events.histogram(issue.id, chartRange, &activity.error);
    activity.summary = issues.summary(issue.id, 10, &activity.error);
    return activity;
}

EventSnapshot readIssueEvent(const EventReader &events, const EventTarget &target)
{
    EventSnapshot snapshot;
    snapshot.issueId = target.issueId;
    snapshot.count = int(events.countForIssue(target.issueId, &snapshot.error));
    if (snapshot.count <= 0)
        return snapshot;
    // Storage counts newest first; N of M from the oldest is offset M - N.
    const qint64 offset = target.rowId > 0
        ? events.newerInIssue(target.issueId, target.receivedMs, target.rowId, &snapshot.error)
        : target.number <= 0 ? 0
                             : snapshot.count - qBound(1, target.number, snapshot.count);
    const QList<EventRow> rows = events.forIssue(target.issueId, 1, int(offset), true, &snapshot.error);
    if (rows.isEmpty())
        return snapshot;
    snapshot.number = int(snapshot.count - offset);
    const EventRow &row = rows.first();
    snapshot.row = row;
    Result<Event> parsed = parseEventJson(row.rawJson);
    if (parsed.ok()) {
        snapshot.event = std::move(parsed).value();
    } else {
        // Stored events were valid when received; show the summary rather than nothing.
        snapshot.event.level = row.level;
        snapshot.event.message = row.message;
    }
    // The stored id and time, never ones the parser made up for an event stored without them.
    snapshot.event.eventId = row.eventId;
    if (snapshot.event.timestamp <= 0)
        snapshot.event.timestamp = double(row.timestampMs) / 1000.0;
    snapshot.pages = events.pages(row.rowId, true, &snapshot.error);
    snapshot.grouping = events.groupingKey(row.rowId, &snapshot.error);
    return snapshot;
}

} // namespace faultline
