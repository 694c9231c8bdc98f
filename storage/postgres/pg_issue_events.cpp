// PgEventReader's reads of one issue's events, for the window's detail pane
// (#18): the same SQL as SQLite's EventQueries, IssueHistogramQueries::forIssue
// and GroupingQueries::forEvent, each answer in the same order. events is
// partitioned by received_ms; events_by_issue_received serves every one of these.
#include "storage/postgres/pg_event_reader.h"

#include "storage/histogram_buckets.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_query_params.h"
#include "storage/query_sql.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

namespace {

qint64 countOf(const PgResult<PgRows> &rows, QString *error)
{
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return 0;
    }
    return rows->rowCount() > 0 ? rows->int64(0, 0) : 0;
}

QVariant limitValue(int limit) { return limit > 0 ? QVariant(qint64(limit)) : QVariant(); } // LIMIT NULL: all

} // namespace

qint64 PgEventReader::countForIssue(qint64 issueId, QString *error) const
{
    return countOf(m_connection.exec(QStringLiteral("SELECT count(*) FROM events WHERE issue_id = $1"),
                       { PgParam::integer(issueId) }),
        error);
}

QList<EventRow> PgEventReader::forIssue(qint64 issueId, int limit, int offset, bool withRaw, QString *error) const
{
    const QString sql = QStringLiteral("SELECT %1 FROM events WHERE issue_id = ? "
                                       "ORDER BY received_ms DESC, id DESC LIMIT ? OFFSET ?")
                            .arg(eventColumnsSql(withRaw));
    return pgReadEvents(
        pgQuery(m_connection, sql, { issueId, limitValue(limit), qint64(std::max(0, offset)) }), withRaw, error);
}

qint64 PgEventReader::newerInIssue(qint64 issueId, qint64 receivedMs, qint64 rowId, QString *error) const
{
    return countOf(m_connection.exec(QStringLiteral("SELECT count(*) FROM events WHERE issue_id = $1 "
                                                    "AND (received_ms > $2 OR (received_ms = $2 AND id > $3))"),
                       { PgParam::integer(issueId), PgParam::integer(receivedMs), PgParam::integer(rowId) }),
        error);
}

QList<EventRow> PgEventReader::searchInIssue(
    qint64 issueId, const Query &query, int limit, int offset, qint64 nowMs, bool withRaw, QString *error) const
{
    const SqlFilter filter
        = eventFilterSql(query, nowMs > 0 ? nowMs : QDateTime::currentMSecsSinceEpoch(), SqlDialect::Postgres);
    const QString sql = QStringLiteral("SELECT %1 FROM events WHERE events.issue_id = ? AND (%2) "
                                       "ORDER BY events.received_ms DESC, events.id DESC LIMIT ? OFFSET ?")
                            .arg(eventColumnsSql(withRaw), filter.where);
    QVariantList values { issueId };
    values << filter.values << limitValue(limit) << qint64(std::max(0, offset));
    return pgReadEvents(pgQuery(m_connection, sql, values), withRaw, error);
}

Histogram PgEventReader::histogram(qint64 issueId, const HistogramRange &range, QString *error) const
{
    Histogram histogram = zeroHistogram(range);
    if (hasNoBuckets(range))
        return histogram;
    // bigint division truncates as SQLite's does; received_ms >= start keeps it from rounding up.
    const auto rows
        = m_connection.exec(QStringLiteral("SELECT (received_ms - $2) / $3, count(*) FROM events "
                                           "WHERE issue_id = $1 AND received_ms >= $2 AND received_ms < $4 GROUP BY 1"),
            { PgParam::integer(issueId), PgParam::integer(range.startMs), PgParam::integer(range.bucketMs),
                PgParam::integer(range.endMs()) });
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return histogram;
    }
    for (int row = 0; row < rows->rowCount(); ++row)
        setBucketCount(histogram, rows->int64(row, 0), rows->int64(row, 1));
    return histogram;
}

std::optional<StoredGroupingKey> PgEventReader::groupingKey(qint64 eventRow, QString *error) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT k.id, k.issue_id, k.hash, k.strategy, k.linked_by, k.explanation "
                       "FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id WHERE e.id = $1"),
        { PgParam::integer(eventRow) });
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return std::nullopt;
    }
    if (rows->rowCount() == 0)
        return std::nullopt;
    StoredGroupingKey key { rows->int64(0, 0), rows->int64(0, 1), rows->text(0, 2), rows->text(0, 3), rows->text(0, 4),
        {} };
    const QByteArray json = rows->bytes(0, 5);
    if (!json.isEmpty())
        key.explanation = groupingExplanationFromJson(QJsonDocument::fromJson(json).object());
    if (key.explanation.strategy.isEmpty())
        key.explanation.strategy = key.strategy;
    return key;
}

} // namespace faultline
