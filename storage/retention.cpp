#include "storage/retention.h"

#include "storage/database.h"
#include "storage/database_stats.h"
#include "storage/dropped_events.h"
#include "storage/statement.h"
#include "storage/stored_size.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <thread>

namespace faultline {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
constexpr qint64 kNoCutoff = std::numeric_limits<qint64>::max();
constexpr qint64 kNoLimit = std::numeric_limits<qint64>::max();
// 1 MB of 4 KiB pages: moving them is a few milliseconds of holding the lock.
constexpr int kVacuumPagesPerStep = 256;
// How long one batch may hold the write lock; batches shrink to stay within
// it (events with long texts cost more: the full-text delete re-tokenizes them).
constexpr auto kLockBudget = 25ms;
// ...but never below this many events, so slow disks still make progress;
// the first batch is this large, then grows while batches stay within budget.
constexpr qint64 kMinEventsPerTransaction = 10;
constexpr qint64 kFirstEventsPerTransaction = 100;
// FTS5 pages (about 4 KB each) written per incremental merge step. A step
// reads more than it writes when most of its input was deleted (all of it
// when nothing survives), so small, and a step that took this long ends the
// merging for this run: the next run's merges carry on where it stopped.
constexpr int kSearchMergePagesPerStep = 64;
constexpr auto kSearchMergeStepTooLong = 250ms;
// Rewriting the whole full-text index costs as much as the index is large, so
// only a prune that left at least this share of it dead pays for that now;
// smaller ones leave their delete markers to FTS5's own merging.
constexpr qint64 kFullMergeDeadShareDivisor = 4;
// The last checkpoint waits this long at most for readers (while holding the writer out).
constexpr int kTruncateLockTimeoutMs = 100;

// First column of the first row; -1 and *error on failure.
qint64 scalar(sqlite3 *db, const QString &sql, const QVariantList &values, QString *error)
{
    Statement select(db, sql);
    select.bindAll(values);
    if (select.step())
        return select.int64(0); // the statement is finalized here, ending its read
    if (error)
        *error = select.error().isEmpty() ? QStringLiteral("no result from: %1").arg(sql) : select.error();
    return -1;
}

// The writer waits for the lock by trying every millisecond (see
// Database::setLockTimeout). Starting our next transaction the moment the last
// one committed could still keep it out, batch after batch, so leave the lock
// free for longer than we held it.
void yieldToWriter(Clock::duration held)
{
    std::this_thread::sleep_for(std::clamp<Clock::duration>(2 * held, 5ms, 1s));
}

qint64 ageCutoffMs(const ProjectSettings &settings, qint64 nowMs)
{
    return settings.maxAgeDays > 0 ? nowMs - qint64(settings.maxAgeDays) * kDayMs : std::numeric_limits<qint64>::min();
}

bool rollback(sqlite3 *db, QString *error, const QString &what)
{
    if (error)
        *error = what;
    if (!sqlite3_get_autocommit(db))
        execSql(db, "ROLLBACK");
    return false;
}

} // namespace

PruneReport &PruneReport::operator+=(const PruneReport &other)
{
    eventsDeleted += other.eventsDeleted;
    issuesDeleted += other.issuesDeleted;
    bytesFreed += other.bytesFreed;
    cancelled = cancelled || other.cancelled;
    if (error.isEmpty())
        error = other.error;
    return *this;
}

Retention::Retention(Database &db, int maxEventsPerTransaction)
    : m_db(db)
    , m_maxBatch(std::max(1, maxEventsPerTransaction))
{
}

PrunePlan Retention::plan(const ProjectSettings &settings, qint64 nowMs, bool countIssues, QString *error) const
{
    sqlite3 *db = m_db.handle();
    PrunePlan plan;
    plan.totalEvents
        = scalar(db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = ?"), { settings.projectId }, error);
    if (plan.totalEvents < 0)
        return {};
    // Both limits remove a prefix of the events ordered oldest first, so
    // together they remove the longer of the two prefixes.
    if (settings.maxAgeDays > 0) {
        const qint64 older
            = scalar(db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = ? AND received_ms < ?"),
                { settings.projectId, ageCutoffMs(settings, nowMs) }, error);
        if (older < 0)
            return {};
        plan.eventsToDelete = older;
    }
    if (settings.maxEvents > 0)
        plan.eventsToDelete = std::max(plan.eventsToDelete, plan.totalEvents - settings.maxEvents);
    if (settings.maxStoredMiB > 0) {
        const qint64 overSize = oldestEventsOverSize(m_db, settings.projectId, settings.maxStoredMiB << 20, error);
        if (overSize < 0)
            return {};
        plan.eventsToDelete = std::max(plan.eventsToDelete, overSize);
    }
    if (countIssues && plan.eventsToDelete > 0) {
        plan.issuesToDelete = scalar(db,
            QStringLiteral("WITH doomed AS (SELECT issue_id FROM events WHERE project_id = ?1 "
                           "ORDER BY received_ms, id LIMIT ?2), "
                           "per_issue AS (SELECT issue_id, count(*) AS n FROM doomed GROUP BY issue_id) "
                           "SELECT count(*) FROM per_issue "
                           "WHERE n = (SELECT count(*) FROM events e WHERE e.issue_id = per_issue.issue_id)"),
            { settings.projectId, plan.eventsToDelete }, error);
        if (plan.issuesToDelete < 0)
            return {};
    }
    return plan;
}

PruneReport Retention::prune(const ProjectSettings &settings, qint64 nowMs, const PruneProgress &progress)
{
    PruneReport report;
    const qint64 sizeBefore = databaseFileSize(m_db);
    const PrunePlan planned = plan(settings, nowMs, false, &report.error);
    if (!report.error.isEmpty())
        return report;
    qint64 total = planned.eventsToDelete;

    bool ok = true;
    // What never became an event ages out with the events (dropped-events view);
    // a failure there is reported but does not keep the events from going.
    if (settings.maxAgeDays > 0)
        DroppedEventsStore(m_db).pruneOlderThan(settings.projectId, ageCutoffMs(settings, nowMs), &report.error);
    if (settings.maxAgeDays > 0)
        ok = deleteOldest(settings.projectId, ageCutoffMs(settings, nowMs), kNoLimit, &report, &total, progress);
    if (ok && !report.cancelled && settings.maxEvents > 0) {
        // Counted again now: the writer may have added events since the plan.
        const qint64 events = scalar(m_db.handle(), QStringLiteral("SELECT count(*) FROM events WHERE project_id = ?"),
            { settings.projectId }, &report.error);
        ok = events >= 0;
        if (ok && events > settings.maxEvents)
            ok = deleteOldest(settings.projectId, kNoCutoff, events - settings.maxEvents, &report, &total, progress);
    }
    if (ok && !report.cancelled && settings.maxStoredMiB > 0) {
        // Measured now, after the other limits: the oldest events go until the rest fit.
        const qint64 overSize
            = oldestEventsOverSize(m_db, settings.projectId, settings.maxStoredMiB << 20, &report.error);
        ok = overSize >= 0;
        if (ok && overSize > 0)
            ok = deleteOldest(settings.projectId, kNoCutoff, overSize, &report, &total, progress);
    }
    // Cancelled means "stop now"; the next prune reclaims what this one freed.
    if (ok && !report.cancelled && report.eventsDeleted > 0) {
        const qint64 left = scalar(m_db.handle(), QStringLiteral("SELECT count(*) FROM events"), {}, &report.error);
        ok = left >= 0 && compactSearchIndex(report.eventsDeleted * kFullMergeDeadShareDivisor >= left, &report.error);
    }
    if (ok && !report.cancelled)
        reclaimSpace(&report.error);
    report.bytesFreed = std::max<qint64>(0, sizeBefore - databaseFileSize(m_db));
    return report;
}

bool Retention::deleteOldest(
    qint64 projectId, qint64 beforeMs, qint64 limit, PruneReport *report, qint64 *total, const PruneProgress &progress)
{
    const qint64 minBatch = std::min<qint64>(kMinEventsPerTransaction, m_maxBatch);
    qint64 batchSize = std::min(kFirstEventsPerTransaction, m_maxBatch);
    qint64 deleted = 0;
    while (deleted < limit) {
        const qint64 wanted = std::min(batchSize, limit - deleted);
        Clock::duration held {};
        const qint64 batch
            = deleteOldestBatch(projectId, beforeMs, wanted, &report->issuesDeleted, &held, &report->error);
        if (batch < 0)
            return false;
        deleted += batch;
        report->eventsDeleted += batch;
        *total = std::max(*total, report->eventsDeleted);
        if (batch > 0 && progress && !progress(report->eventsDeleted, *total)) {
            report->cancelled = true;
            return true;
        }
        if (batch < wanted)
            return true; // nothing older is left
        // Aim the next batch at the lock budget, growing at most twofold.
        const double scale = double(std::chrono::nanoseconds(kLockBudget).count())
            / double(std::max<qint64>(1, std::chrono::nanoseconds(held).count()));
        batchSize = std::clamp(qint64(double(batchSize) * std::min(scale, 2.0)), minBatch, m_maxBatch);
        yieldToWriter(held);
    }
    return true;
}

bool Retention::prepareScratchTables(QString *error)
{
    // Temporary tables hold one batch's event and attachment-body keys, so
    // every statement below selects by a join instead of a spliced id list.
    if (!m_scratchReady)
        m_scratchReady = execSql(m_db.handle(),
            "CREATE TEMP TABLE IF NOT EXISTS prune_events(id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL);"
            "CREATE TEMP TABLE IF NOT EXISTS prune_blobs(sha256 TEXT PRIMARY KEY);",
            error);
    return m_scratchReady;
}

qint64 Retention::deleteOldestBatch(
    qint64 projectId, qint64 beforeMs, qint64 limit, qint64 *issuesDeleted, Clock::duration *held, QString *error)
{
    sqlite3 *db = m_db.handle();
    if (!prepareScratchTables(error))
        return -1;
    if (!execSql(db, "BEGIN IMMEDIATE", error))
        return -1;
    const auto locked = Clock::now(); // the wait for the lock is not ours to count
    auto run = [&](const QString &sql, const QVariantList &values = {}) {
        Statement statement(db, sql);
        statement.bindAll(values);
        if (statement.exec())
            return true;
        return rollback(db, error, statement.error());
    };

    if (!run(QStringLiteral("DELETE FROM temp.prune_events")) || !run(QStringLiteral("DELETE FROM temp.prune_blobs")))
        return -1;
    if (!run(QStringLiteral("INSERT INTO temp.prune_events(id, issue_id) SELECT id, issue_id FROM events "
                            "WHERE project_id = ? AND received_ms < ? ORDER BY received_ms, id LIMIT ?"),
            { projectId, beforeMs, limit }))
        return -1;
    const qint64 events = changedRows(db);
    if (events == 0) {
        execSql(db, "COMMIT");
        *held = Clock::now() - locked;
        return 0;
    }

    // Tags and attachments would also go by ON DELETE CASCADE, but only where
    // foreign_keys is on; saying it here does not depend on the connection.
    // The full-text rows go by the events_fts_after_delete trigger.
    const bool ok = run(QStringLiteral("INSERT INTO temp.prune_blobs(sha256) SELECT DISTINCT sha256 FROM attachments "
                                       "WHERE event_row IN (SELECT id FROM temp.prune_events)"))
        && run(QStringLiteral("DELETE FROM event_tags WHERE event_row IN (SELECT id FROM temp.prune_events)"))
        && run(QStringLiteral("DELETE FROM attachments WHERE event_row IN (SELECT id FROM temp.prune_events)"))
        && run(QStringLiteral("DELETE FROM events WHERE id IN (SELECT id FROM temp.prune_events)"))
        && run(QStringLiteral("DELETE FROM attachment_blobs WHERE sha256 IN (SELECT sha256 FROM temp.prune_blobs) "
                              "AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = attachment_blobs.sha256)"))
        // The writer keeps count equal to the issue's stored events (a retried
        // event is not counted twice), so subtracting what went keeps it exact
        // without recounting a busy issue's events in every batch; first and
        // last seen come from the events kept (index on issue_id, received_ms).
        && run(QStringLiteral(
            "UPDATE issues SET count = max(0, issues.count - gone.n), "
            "first_seen_ms = coalesce((SELECT min(e.received_ms) FROM events e WHERE e.issue_id = issues.id), "
            "issues.first_seen_ms), "
            "last_seen_ms = coalesce((SELECT max(e.received_ms) FROM events e WHERE e.issue_id = issues.id), "
            "issues.last_seen_ms) "
            "FROM (SELECT issue_id, count(*) AS n FROM temp.prune_events GROUP BY issue_id) AS gone "
            "WHERE issues.id = gone.issue_id"))
        && run(QStringLiteral("DELETE FROM issues WHERE id IN (SELECT issue_id FROM temp.prune_events) "
                              "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.issue_id = issues.id)"));
    if (!ok)
        return -1;
    const qint64 emptied = changedRows(db);
    QString commitError;
    if (!execSql(db, "COMMIT", &commitError)) {
        rollback(db, error, commitError);
        return -1;
    }
    *held = Clock::now() - locked;
    *issuesDeleted += emptied;
    return events;
}

bool Retention::compactSearchIndex(bool full, QString *error)
{
    // Deleting from an FTS5 index only adds delete markers; the space comes
    // back when segments are merged. A negative 'merge' makes every segment
    // eligible, positive ones continue (or do what automerge would) in steps
    // of bounded size, each its own short transaction. Less than two changes
    // means the step found nothing to merge.
    sqlite3 *db = m_db.handle();
    Statement merge(db, QStringLiteral("INSERT INTO events_fts(events_fts, rank) VALUES('merge', ?)"));
    for (bool first = true;; first = false) {
        const auto started = Clock::now();
        const int changesBefore = sqlite3_total_changes(db);
        merge.reset();
        merge.bind(1, full && first ? -kSearchMergePagesPerStep : kSearchMergePagesPerStep);
        if (!merge.exec()) {
            if (error)
                *error = merge.error();
            return false;
        }
        const auto held = Clock::now() - started;
        if (sqlite3_total_changes(db) - changesBefore < 2 || held > kSearchMergeStepTooLong)
            return true;
        yieldToWriter(held);
    }
}

bool Retention::reclaimSpace(QString *error)
{
    sqlite3 *db = m_db.handle();
    // A file created without auto_vacuum cannot give pages back this way (only a full VACUUM could).
    const qint64 autoVacuum = scalar(db, QStringLiteral("PRAGMA auto_vacuum"), {}, error);
    if (autoVacuum != 2)
        return autoVacuum >= 0;
    for (;;) {
        const qint64 freePages = scalar(db, QStringLiteral("PRAGMA freelist_count"), {}, error);
        if (freePages <= 0)
            break;
        const auto started = Clock::now();
        // PRAGMA takes no bound parameters; the value is our own integer.
        if (!execSql(db, QStringLiteral("PRAGMA incremental_vacuum(%1)").arg(kVacuumPagesPerStep).toUtf8().constData(),
                error))
            return false;
        const qint64 left = scalar(db, QStringLiteral("PRAGMA freelist_count"), {}, error);
        if (left < 0)
            return false;
        if (left >= freePages)
            break; // no progress; do not spin
        yieldToWriter(Clock::now() - started);
    }
    // In WAL mode the database file only shrinks when a checkpoint copies the
    // vacuumed pages back. PASSIVE does the copying without blocking anyone;
    // TRUNCATE then also empties the WAL, but it keeps the writer out while it
    // waits for readers, so it gets only a short wait and may give up.
    execSql(db, "PRAGMA wal_checkpoint(PASSIVE)");
    Database::setLockTimeout(db, kTruncateLockTimeoutMs);
    execSql(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    Database::setLockTimeout(db, Database::kLockTimeoutMs);
    return true;
}

} // namespace faultline
