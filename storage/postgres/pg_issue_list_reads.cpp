// PgIssueReader's reads for the window's lists (storage/store_readers.h): the
// issue list's 24-hour trends, the project list's unresolved counts, and what
// a notification says about an issue. The same figures as SQLite's
// IssueHistogramQueries::forIssues, IssueQueries::unresolvedCountsByProject
// and AlertStore::issue.
#include "storage/histogram_buckets.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_issue_reader.h"
#include "storage/postgres/pg_rows_statement.h"
#include "storage/postgres/pg_storage_error.h"

namespace faultline {

QHash<qint64, QList<qint64>> PgIssueReader::trends(
    const QList<qint64> &issueIds, const HistogramRange &range, QString *error) const
{
    QHash<qint64, QList<qint64>> result = zeroTrends(issueIds, range);
    if (issueIds.isEmpty() || hasNoBuckets(range))
        return result;
    // The received_ms bounds are what lets the planner skip the months outside the range
    // (events is partitioned by month); within a month, events_by_issue_received answers.
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT issue_id, (received_ms - $2) / $3, count(*) FROM events "
                       "WHERE issue_id = ANY($1::bigint[]) AND received_ms >= $2 AND received_ms < $4 GROUP BY 1, 2"),
        { pgIntegerArray(issueIds), PgParam::integer(range.startMs), PgParam::integer(range.bucketMs),
            PgParam::integer(range.endMs()) });
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return result;
    }
    for (int row = 0; row < rows->rowCount(); ++row)
        setTrendCount(result, range, rows->int64(row, 0), rows->int64(row, 1), rows->int64(row, 2));
    return result;
}

QHash<qint64, qint64> PgIssueReader::unresolvedCountsByProject(qint64 nowMs, QString *error) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT project_id, count(*) FROM issues WHERE status = 'unresolved' OR (status = 'ignored' "
                       "AND ignore_until_ms BETWEEN 1 AND $1) GROUP BY project_id"),
        { PgParam::integer(nowOrClock(nowMs)) });
    QHash<qint64, qint64> counts;
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return counts;
    }
    for (int row = 0; row < rows->rowCount(); ++row)
        counts.insert(rows->int64(row, 0), rows->int64(row, 1));
    return counts;
}

StorageResult<AlertIssue> PgIssueReader::news(qint64 issueId) const
{
    // The latest event through events_by_issue_received: one index probe per month, newest first.
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT i.id, i.project_id, p.name, i.title, i.culprit, i.level, i.count, i.first_seen_ms, "
                       "i.last_seen_ms, coalesce(e.environment, ''), coalesce(e.release, '') "
                       "FROM issues i JOIN projects p ON p.id = i.project_id "
                       "LEFT JOIN LATERAL (SELECT environment, release FROM events WHERE issue_id = i.id "
                       "ORDER BY received_ms DESC LIMIT 1) e ON true WHERE i.id = $1"),
        { PgParam::integer(issueId) });
    if (!rows)
        return storageErrorFromPg(rows.error());
    if (rows->rowCount() == 0)
        return StorageError::notFound(QStringLiteral("issue %1").arg(issueId));
    const PgRows &r = rows.value();
    return AlertIssue { r.int64(0, 0), r.int64(0, 1), r.text(0, 2), r.text(0, 3), r.text(0, 4), r.text(0, 5),
        r.text(0, 9), r.text(0, 10), r.int64(0, 6), r.int64(0, 7), r.int64(0, 8), 0 };
}

} // namespace faultline
