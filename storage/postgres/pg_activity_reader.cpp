#include "storage/postgres/pg_activity_reader.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_query_params.h"

namespace faultline {

namespace {

void setError(QString *error, const PgError &failure)
{
    if (error)
        *error = failure.message;
}

} // namespace

QHash<qint64, QList<qint64>> PgActivityReader::eventsPerBucket(const HistogramRange &range, QString *error) const
{
    // One statement over the range's partitions only (events is partitioned by received_ms).
    const auto rows
        = m_connection.exec(QStringLiteral("SELECT project_id, (received_ms - $1) / $2, count(*) FROM events "
                                           "WHERE received_ms >= $1 AND received_ms < $3 GROUP BY 1, 2"),
            { PgParam::integer(range.startMs), PgParam::integer(range.bucketMs), PgParam::integer(range.endMs()) });
    if (!rows) {
        setError(error, rows.error());
        return {};
    }
    QHash<qint64, QList<qint64>> perProject;
    for (int row = 0; row < rows->rowCount(); ++row) {
        const qint64 bucket = rows->int64(row, 1);
        if (bucket < 0 || bucket >= range.buckets)
            continue;
        auto found = perProject.find(rows->int64(row, 0));
        if (found == perProject.end())
            found = perProject.insert(rows->int64(row, 0), QList<qint64>(range.buckets, 0));
        (*found)[bucket] = rows->int64(row, 2);
    }
    return perProject;
}

QList<DiscardedCount> PgActivityReader::discarded(QString *error) const
{
    const auto rows = m_connection.exec(QStringLiteral(
        "SELECT project_id, reason, category, sum(quantity) FROM discarded GROUP BY project_id, reason, category "
        "ORDER BY project_id, reason COLLATE \"C\", category COLLATE \"C\""));
    if (!rows) {
        setError(error, rows.error());
        return {};
    }
    QList<DiscardedCount> counts;
    for (int row = 0; row < rows->rowCount(); ++row)
        counts.append({ rows->int64(row, 0), rows->text(row, 1), rows->text(row, 2), rows->int64(row, 3) });
    return counts;
}

QList<DropSummary> PgActivityReader::dropSummaries(qint64 nowMs, QString *error) const
{
    // Ordered as SQLite's BINARY collation orders them: ties in the final sort keep this order.
    const auto counts = m_connection.exec(
        QStringLiteral("SELECT * FROM (SELECT project_id, reason, '' AS category, hour, count FROM refusal_counts "
                       "UNION ALL SELECT project_id, 'client:' || reason, category, hour, quantity FROM discarded) d "
                       "ORDER BY project_id, reason COLLATE \"C\", category COLLATE \"C\""));
    if (!counts) {
        setError(error, counts.error());
        return {};
    }
    QList<DropCountRow> countRows;
    for (int row = 0; row < counts->rowCount(); ++row)
        countRows.append({ counts->int64(row, 0), counts->text(row, 1), counts->text(row, 2), counts->int64(row, 3),
            counts->int64(row, 4) });
    const auto examples = m_connection.exec(
        QStringLiteral("SELECT project_id, reason, received_ms, status, size, peer, request, head, answer "
                       "FROM refusal_examples"));
    if (!examples) {
        setError(error, examples.error());
        return summarizeDrops(countRows, {}, nowMs);
    }
    QList<DropExampleRow> exampleRows;
    for (int row = 0; row < examples->rowCount(); ++row) {
        DropExample example;
        example.receivedMs = examples->int64(row, 2);
        example.status = int(examples->int64(row, 3));
        example.size = examples->int64(row, 4);
        example.peer = examples->text(row, 5);
        example.request = examples->text(row, 6);
        example.head = pgByteaFromText(examples->bytes(row, 7));
        example.answer = examples->text(row, 8);
        exampleRows.append({ examples->int64(row, 0), examples->text(row, 1), example });
    }
    return summarizeDrops(countRows, exampleRows, nowMs);
}

} // namespace faultline
