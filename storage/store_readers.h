#pragma once
// What the CLI (and later the window) reads and changes through a
// StorageBackend (storage/backend.h), one interface per concern, one
// implementation per backend: SQLite's wrap IssueQueries, EventQueries,
// IssueSummaryQueries and IssueStatusWriter (storage/sqlite_readers.h);
// PostgreSQL's write their own SQL (storage/postgres/pg_readers.h). Both
// compile searches with storage/query_sql.h, each in its own dialect.
#include "model/alert_rules.h"
#include "storage/event_queries.h"
#include "storage/grouping_queries.h"
#include "storage/grouping_rules.h"
#include "storage/issue_histogram.h"
#include "storage/issue_queries.h"
#include "storage/issue_status.h"
#include "storage/issue_summary.h"
#include "storage/page_queries.h"
#include "storage/project_settings.h"

#include <QHash>
#include <QList>

#include <optional>

namespace faultline {

class IssueReader {
public:
    virtual ~IssueReader() = default;

    // On a database error: empty, and *error set.
    virtual QList<IssueRow> list(const IssueListRequest &request, QString *error) const = 0;
    virtual qint64 count(const Query &query, qint64 nowMs, QString *error) const = 0;
    virtual StorageResult<IssueRow> byId(qint64 id) const = 0; // NotFound when there is none
    virtual QString fingerprint(qint64 id) const = 0; // empty when there is no such issue
    virtual IssueSummary summary(qint64 issueId, int topValues, QString *error) const = 0;
    virtual QHash<qint64, IssueBrief> briefs(const QList<qint64> &issueIds, QString *error) const = 0;

    // What the window's issue list and project list read (ui/triage/issue_list_model.h,
    // ui/triage/project_list_model.h). Events per bucket of `range` for each issue asked for (zeros when it had none),
    // in one query: the list's 24-hour trend column for a page of rows.
    virtual QHash<qint64, QList<qint64>> trends(
        const QList<qint64> &issueIds, const HistogramRange &range, QString *error) const = 0;
    // Unresolved issues per project, ignores whose time is up counted as unresolved (effectiveStatus).
    virtual QHash<qint64, qint64> unresolvedCountsByProject(qint64 nowMs, QString *error) const = 0;
    // What the notification rules look at (model/alert_rules.h); NotFound when the issue is gone.
    virtual StorageResult<AlertIssue> news(qint64 issueId) const = 0;

protected:
    IssueReader() = default;
    IssueReader(const IssueReader &) = default;
    IssueReader &operator=(const IssueReader &) = default;
};

class EventReader {
public:
    virtual ~EventReader() = default;

    // Newest first; limit 0 = all. On error: empty and *error set.
    virtual QList<EventRow> search(
        const Query &query, int limit, int offset, qint64 nowMs, bool withRaw, QString *error) const = 0;
    // projectId 0 = any project.
    // NotFound when no stored event has that id.
    virtual StorageResult<EventRow> byEventId(const QString &eventId, qint64 projectId, bool withRaw) const = 0;
    // The error pages it carried (page_queries.h), with their bodies when asked for.
    virtual QList<EventPage> pages(qint64 eventRow, bool withData, QString *error) const = 0;

    // One issue's events, as its detail pane reads them (the window, #18). On error: empty
    // (zero counts) and *error set.
    virtual qint64 countForIssue(qint64 issueId, QString *error) const = 0;
    // Newest first: offset 0 is the latest event, "event count of count". limit 0 = all.
    virtual QList<EventRow> forIssue(qint64 issueId, int limit, int offset, bool withRaw, QString *error) const = 0;
    // How many of the issue's events are newer than this one (its offset in forIssue()).
    virtual qint64 newerInIssue(qint64 issueId, qint64 receivedMs, qint64 rowId, QString *error) const = 0;
    // The issue's events matching a search, newest first (the Events tab).
    virtual QList<EventRow> searchInIssue(qint64 issueId, const Query &query, int limit, int offset, qint64 nowMs,
        bool withRaw, QString *error) const = 0;
    // The issue's events per interval of `range` (the detail's chart).
    virtual Histogram histogram(qint64 issueId, const HistogramRange &range, QString *error) const = 0;
    // The key the event was grouped by; nothing for events stored before keys were recorded.
    virtual std::optional<StoredGroupingKey> groupingKey(qint64 eventRow, QString *error) const = 0;

protected:
    EventReader() = default;
    EventReader(const EventReader &) = default;
    EventReader &operator=(const EventReader &) = default;
};

// Resolve / ignore / unresolve with their conditions (storage/issue_status.h).
class IssueStatusChanger {
public:
    virtual ~IssueStatusChanger() = default;

    // In one transaction; `before` (may be null) receives the states before it.
    // Returns how many changed, -1 on error (*error says why).
    virtual int apply(const QList<qint64> &issueIds, const StatusChange &change, qint64 nowMs,
        QList<IssueStatusState> *before, QString *error)
        = 0;
    // Puts issues back into the states `apply` reported (undo), in one transaction.
    // Returns how many, -1 on error.
    virtual int restore(const QList<IssueStatusState> &states, QString *error) = 0;

protected:
    IssueStatusChanger() = default;
    IssueStatusChanger(const IssueStatusChanger &) = default;
    IssueStatusChanger &operator=(const IssueStatusChanger &) = default;
};

// Merge and split that stick (storage/grouping_rules.h: what each keeps,
// which issue survives), for the CLI and the window alike. Each runs in one
// transaction that locks the issues it changes, so collectors writing into
// them meanwhile wait rather than lose an event or a count.
class IssueMerger {
public:
    virtual ~IssueMerger() = default;

    // nullopt and *error when nothing was done (fewer than two issues,
    // unknown ids, different projects, `into` not among them).
    virtual std::optional<MergeOutcome> merge(const QList<qint64> &issueIds, qint64 into, qint64 nowMs, QString *error)
        = 0;
    // `hash`: one of the issue's keys or an unambiguous prefix (7+ characters).
    virtual std::optional<SplitOutcome> split(qint64 issueId, const QString &hash, qint64 nowMs, QString *error) = 0;
    // What a split can take: the issue's keys, oldest first, and the events
    // stored per key id (keys without any left out).
    virtual QList<StoredGroupingKey> keys(qint64 issueId, QString *error) const = 0;
    virtual QHash<qint64, qint64> eventsPerKey(qint64 issueId, QString *error) const = 0;

protected:
    IssueMerger() = default;
    IssueMerger(const IssueMerger &) = default;
    IssueMerger &operator=(const IssueMerger &) = default;
};

// Per-project limits (storage/project_settings.h): what retention keeps and
// what the collectors accept, set by `faultline projects limits`.
class ProjectLimitStore {
public:
    virtual ~ProjectLimitStore() = default;

    // The stored limits, or ProjectSettings::defaults() when none were set;
    // nullopt for an unknown project.
    virtual StorageResult<ProjectSettings> get(qint64 projectId) const = 0; // NotFound for an unknown project
    // Constraint for an unknown project or a negative limit.
    virtual StorageResult<void> set(const ProjectSettings &settings) = 0;
    // Every project, by id, defaults filled in; empty on a database error (logged).
    virtual QList<ProjectSettings> all() const = 0;

protected:
    ProjectLimitStore() = default;
    ProjectLimitStore(const ProjectLimitStore &) = default;
    ProjectLimitStore &operator=(const ProjectLimitStore &) = default;
};

// The error pages services attached to events, grouped per project, status
// and shape (storage/page_queries.h): `faultline pages` and the window's pages list.
class PageReader {
public:
    virtual ~PageReader() = default;

    // projectId 0 = every project. Newest (by last seen) first. On error: empty and *error set.
    virtual QList<DistinctPage> distinctPages(qint64 projectId, QString *error) const = 0;
    // A stored body by its hash (bodies are shared between events).
    virtual StorageResult<QByteArray> data(const QString &sha256) const = 0; // NotFound when no body has that hash

protected:
    PageReader() = default;
    PageReader(const PageReader &) = default;
    PageReader &operator=(const PageReader &) = default;
};

} // namespace faultline
