#include "storage/postgres/pg_size_retention.h"

#include "storage/postgres/pg_rows_statement.h"
#include "storage/postgres/pg_transaction.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <algorithm>

namespace faultline {

namespace {

// pg_try_advisory_lock(int, int)'s first key for "pruning project N by size": 'size' in ASCII.
constexpr qint64 kSizeLockKey = 0x73697a65;
constexpr int kBatchAttempts = 3; // a deadlock with a writer or a merge is tried again

// One event's bytes as stored_size.cpp counts them on SQLite: its compressed JSON
// (octet_length reads no content of a value stored out of line) and its attachments.
const QString kEventBytes = QStringLiteral("octet_length(e.raw) + coalesce((SELECT sum(a.size) FROM attachments a "
                                           "WHERE a.event_row = e.id AND a.received_ms = e.received_ms), 0)");

// What project $1 stores, and in how many events, added up in any order: one
// scan without a sort, and its attachments joined from their side.
const QString kProjectStored = QStringLiteral(
    "SELECT count(*) AS events, coalesce(sum(octet_length(e.raw)), 0) + (SELECT coalesce(sum(a.size), 0) FROM "
    "attachments a JOIN events ae ON ae.id = a.event_row AND ae.received_ms = a.received_ms WHERE ae.project_id = "
    "$1) AS bytes FROM events e WHERE e.project_id = $1");

// Project $1's events oldest first, each with its position and the bytes of
// those before it. Read along events_by_project_received, one event at a time,
// so that a LIMIT above stops it: the rest of the project is never sorted.
const QString kOldestFirst
    = QStringLiteral("SELECT received_ms, id, row_number() OVER oldest AS position, coalesce(sum(bytes) OVER "
                     "before_it, 0) AS before FROM (SELECT e.received_ms, e.id, %1 AS bytes FROM events e WHERE "
                     "e.project_id = $1) sized WINDOW oldest AS (ORDER BY received_ms, id), before_it AS (oldest "
                     "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)")
          .arg(kEventBytes);

struct DeletedBatch {
    PgSizePruned pruned;
    QStringList bodies; // sha256 of the attachments deleted
};

PgError changedMeanwhile()
{
    return PgError { PgError::Kind::Conflict, {}, QStringLiteral("the oldest events changed meanwhile") };
}

// The batch's statements, inside the caller's transaction.
PgResult<DeletedBatch> deleteOldestEvents(PgConnection &db, qint64 projectId, qint64 limit)
{
    auto oldest = db.exec(QStringLiteral("SELECT id, received_ms, issue_id, event_id FROM events WHERE project_id = $1 "
                                         "ORDER BY received_ms, id LIMIT $2"),
        { PgParam::integer(projectId), PgParam::integer(limit) });
    if (!oldest)
        return oldest.error();
    const int count = oldest->rowCount();
    if (count == 0)
        return DeletedBatch {};
    QList<qint64> rows;
    QList<qint64> issues;
    QStringList eventIds;
    for (int row = 0; row < count; ++row) {
        rows.append(oldest->int64(row, 0));
        issues.append(oldest->int64(row, 2));
        eventIds.append(oldest->text(row, 3));
    }
    const PgParam rowIds = pgIntegerArray(rows);
    const PgParam fromMs = PgParam::integer(oldest->int64(0, 1));
    const PgParam toMs = PgParam::integer(oldest->int64(count - 1, 1));

    // The keys first, as a writer claims them before it locks its issues: a
    // retried event is stored again, as on SQLite once its row is gone.
    if (auto keys = db.exec(QStringLiteral("DELETE FROM event_ids WHERE project_id = $1 AND event_id = ANY($2::text[]) "
                                           "AND event_row = ANY($3::bigint[])"),
            { PgParam::integer(projectId), pgTextArray(eventIds), rowIds });
        !keys)
        return keys.error();
    if (PgStatus locked = lockIssuesInOrder(db, issues); !locked)
        return locked.error();
    // Read again under lock: the issue each event belongs to now, all of them still there.
    auto lockedEvents = db.exec(QStringLiteral("SELECT issue_id FROM events WHERE id = ANY($1::bigint[]) "
                                               "AND received_ms BETWEEN $2 AND $3 FOR UPDATE"),
        { rowIds, fromMs, toMs });
    if (!lockedEvents)
        return lockedEvents.error();
    if (lockedEvents->rowCount() != count)
        return changedMeanwhile();
    const QSet<qint64> lockedIssues(issues.cbegin(), issues.cend());
    QHash<qint64, qint64> goneOf;
    for (int row = 0; row < count; ++row) {
        const qint64 issue = lockedEvents->int64(row, 0);
        if (!lockedIssues.contains(issue))
            return changedMeanwhile(); // a merge moved it to an issue not locked here
        ++goneOf[issue];
    }
    QList<qint64> goneIssues;
    QList<qint64> goneCounts;
    for (auto it = goneOf.cbegin(); it != goneOf.cend(); ++it) {
        goneIssues.append(it.key());
        goneCounts.append(it.value());
    }

    // The writer keeps count equal to the issue's stored events; first seen comes
    // from the events kept (after this batch, the project's oldest prefix). Last
    // seen stays: an issue keeps its newest event unless it loses all of them.
    // An issue with an event kept after the batch is not left empty, so only the
    // others are looked up once the events are gone: that look-up visits every
    // row the issue had, those deleted by earlier batches and not vacuumed yet
    // included, and cost most of a batch when it ran for every issue.
    auto counted = db.exec(
        QStringLiteral("WITH kept AS MATERIALIZED (SELECT g.id, g.n, (SELECT min(e.received_ms) FROM events e "
                       "WHERE e.issue_id = g.id AND (e.received_ms, e.id) > ($3, $4)) AS first_ms "
                       "FROM unnest($1::bigint[], $2::bigint[]) AS g(id, n)) "
                       "UPDATE issues SET count = greatest(0, issues.count - kept.n), "
                       "first_seen_ms = coalesce(kept.first_ms, issues.first_seen_ms) "
                       "FROM kept WHERE issues.id = kept.id RETURNING issues.id, kept.first_ms IS NULL"),
        { pgIntegerArray(goneIssues), pgIntegerArray(goneCounts), toMs, PgParam::integer(rows.constLast()) });
    if (!counted)
        return counted.error();
    QList<qint64> maybeEmptied;
    for (int row = 0; row < counted->rowCount(); ++row)
        if (counted->boolean(row, 1))
            maybeEmptied.append(counted->int64(row, 0));
    const PgParams ofBatch { rowIds, fromMs, toMs };
    if (auto tags = db.exec(QStringLiteral("DELETE FROM event_tags WHERE event_row = ANY($1::bigint[]) "
                                           "AND received_ms BETWEEN $2 AND $3"),
            ofBatch);
        !tags)
        return tags.error();
    auto attachments = db.exec(QStringLiteral("DELETE FROM attachments WHERE event_row = ANY($1::bigint[]) "
                                              "AND received_ms BETWEEN $2 AND $3 RETURNING sha256"),
        ofBatch);
    if (!attachments)
        return attachments.error();
    if (auto events
        = db.exec(QStringLiteral("DELETE FROM events WHERE id = ANY($1::bigint[]) AND received_ms BETWEEN $2 AND $3"),
            ofBatch);
        !events)
        return events.error();
    qint64 issuesDeleted = 0;
    if (!maybeEmptied.isEmpty()) {
        auto emptied = db.exec(QStringLiteral("DELETE FROM issues WHERE id = ANY($1::bigint[]) AND NOT EXISTS "
                                              "(SELECT 1 FROM events e WHERE e.issue_id = issues.id)"),
            { pgIntegerArray(maybeEmptied) });
        if (!emptied)
            return emptied.error();
        issuesDeleted = emptied->affectedRows();
    }

    DeletedBatch batch { { count, issuesDeleted }, {} };
    for (int row = 0; row < attachments->rowCount(); ++row)
        batch.bodies.append(attachments->text(row, 0));
    batch.bodies.removeDuplicates();
    return batch;
}

} // namespace

PgSizePruned &PgSizePruned::operator+=(const PgSizePruned &other)
{
    events += other.events;
    issuesDeleted += other.issuesDeleted;
    return *this;
}

PgSizeRetention::PgSizeRetention(PgConnection &connection, int eventsPerBatch)
    : m_connection(connection)
    , m_eventsPerBatch(std::max(1, eventsPerBatch))
{
}

PgResult<qint64> PgSizeRetention::oldestEventsOverSize(qint64 projectId, qint64 maxBytes)
{
    // Within the limit, nothing more is read. Over it, the oldest events are read
    // until the bytes before one reach the excess: the ones before it go (their
    // running totals are still short of it), all of them if none reaches it.
    auto over = m_connection.exec(QStringLiteral("WITH stored AS (%1) SELECT CASE WHEN bytes <= $2 THEN 0 ELSE "
                                                 "coalesce((SELECT position - 1 FROM (%2) running WHERE before >= "
                                                 "stored.bytes - $2 ORDER BY received_ms, id LIMIT 1), events) END "
                                                 "FROM stored")
                                      .arg(kProjectStored, kOldestFirst),
        { PgParam::integer(projectId), PgParam::integer(maxBytes) });
    if (!over)
        return over.error();
    return over->int64(0, 0);
}

PgResult<PgSizePruned> PgSizeRetention::prune(const ProjectSettings &settings)
{
    if (settings.maxStoredMiB <= 0)
        return PgSizePruned {};
    const PgParams lockKey { PgParam::integer(kSizeLockKey), PgParam::integer(settings.projectId) };
    auto locked = m_connection.exec(QStringLiteral("SELECT pg_try_advisory_lock($1, $2)"), lockKey);
    if (!locked)
        return locked.error();
    if (!locked->boolean(0, 0))
        return PgSizePruned {}; // another collector is at it
    PgResult<PgSizePruned> result = PgSizePruned {};
    const PgResult<qint64> over = oldestEventsOverSize(settings.projectId, settings.maxStoredMiB << 20);
    if (!over)
        result = over.error();
    while (result && result->events < over.value()) {
        const PgResult<PgSizePruned> batch
            = deleteOldestBatch(settings.projectId, std::min<qint64>(m_eventsPerBatch, over.value() - result->events));
        if (!batch)
            result = batch.error();
        else if (batch->events == 0)
            break; // none left
        else
            result.value() += batch.value();
    }
    m_connection.exec(QStringLiteral("SELECT pg_advisory_unlock($1, $2)"), lockKey); // a lost connection has none
    return result;
}

PgResult<PgSizePruned> PgSizeRetention::deleteOldestBatch(qint64 projectId, qint64 limit)
{
    PgResult<DeletedBatch> batch = PgError {};
    for (int attempt = 1; attempt <= kBatchAttempts; ++attempt) {
        if (PgStatus begun = m_connection.begin(); !begun)
            return begun.error();
        batch = deleteOldestEvents(m_connection, projectId, limit);
        if (batch) {
            const PgStatus committed = m_connection.commit();
            if (committed)
                break;
            batch = committed.error();
        }
        m_connection.rollback();
        if (!batch.error().isRetryable())
            return batch.error();
    }
    if (!batch)
        return batch.error();
    // After the commit, as a dropped month's: bodies another event still uses stay.
    if (!batch->bodies.isEmpty()) {
        auto bodies = m_connection.exec(QStringLiteral("DELETE FROM attachment_blobs b WHERE sha256 = ANY($1::text[]) "
                                                       "AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = "
                                                       "b.sha256)"),
            { pgTextArray(batch->bodies) });
        if (!bodies)
            return bodies.error();
    }
    return batch->pruned;
}

} // namespace faultline
