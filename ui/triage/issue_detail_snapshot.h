#pragma once
// What the issue detail (ui/issue_detail_view.h) shows, as plain values read
// on any thread through the backend-neutral readers (SQLite or PostgreSQL):
// the issue's activity (event count, chart, summary) and one of its events
// with what its panels need. The view posts these reads on the storage
// gateway's reader and shows the answers on the GUI thread.
#include "model/event.h"
#include "storage/event_queries.h"
#include "storage/grouping_queries.h"
#include "storage/issue_histogram.h"
#include "storage/issue_queries.h"
#include "storage/issue_summary.h"
#include "storage/page_queries.h"

#include <optional>

namespace faultline {

class EventReader;
class IssueReader;

// What an update shows besides the event: the issue, its event count, histogram and
// summary (tags, users, releases).
struct IssueActivity {
    IssueRow issue;
    int eventCount = 0;
    Histogram histogram;
    IssueSummary summary;
    QString error;
};
// `chartRange`: the chart's span (IssueHistogramView::rangeFor).
IssueActivity readIssueActivity(
    const IssueRow &issue, const EventReader &events, const IssueReader &issues, const HistogramRange &chartRange);

// Which of an issue's events to show: `number` counted from the oldest (0 = the latest),
// or, when `rowId` is set, the event with that row id and received time (the Events tab's).
struct EventTarget {
    qint64 issueId = 0;
    int number = 0;
    qint64 rowId = 0;
    qint64 receivedMs = 0;
};
// One event with what its panels show, read and parsed off the GUI thread.
struct EventSnapshot {
    qint64 issueId = 0;
    int count = 0; // the issue's events when read
    int number = 0; // which one, from the oldest; 0 = none
    std::optional<EventRow> row; // with its stored JSON
    Event event; // parsed from it
    QList<EventPage> pages; // with their bodies
    std::optional<StoredGroupingKey> grouping;
    QString error;
};
EventSnapshot readIssueEvent(const EventReader &events, const EventTarget &target);

} // namespace faultline
