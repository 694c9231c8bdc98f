#include "storage/postgres/pg_issue_reader.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_query_params.h"
#include "storage/postgres/pg_rows_statement.h"
#include "storage/postgres/pg_storage_error.h"
#include "storage/query_sql.h"

namespace faultline {

namespace {

IssueRow readIssue(const PgRows &r, int row, qint64 nowMs)
{
    IssueRow issue { r.int64(row, 0), r.int64(row, 1), r.text(row, 2), r.text(row, 3), r.text(row, 4), r.text(row, 5),
        r.int64(row, 6) != 0, r.int64(row, 7), r.int64(row, 8), r.int64(row, 9), r.text(row, 10), r.text(row, 11),
        r.int64(row, 12), r.int64(row, 13), r.int64(row, 14), r.int64(row, 15) != 0 };
    issue.status = effectiveStatus(issue, nowOrClock(nowMs));
    return issue;
}

void setError(QString *error, const PgError &failure)
{
    if (error)
        *error = failure.message;
}

} // namespace

QList<IssueRow> PgIssueReader::list(const IssueListRequest &request, QString *error) const
{
    auto built = pgIssueFilter(m_connection, request.query, nowOrClock(request.nowMs));
    if (!built) {
        setError(error, built.error());
        return {};
    }
    SqlFilter &filter = built.value();
    // LIMIT NULL is no limit.
    const QString sql = QStringLiteral("SELECT %1 FROM issues WHERE %2 ORDER BY %3 LIMIT ? OFFSET ?")
                            .arg(kIssueColumnsSql, filter.where, issueOrderSql(request.sort));
    filter.values << (request.limit > 0 ? QVariant(qint64(request.limit)) : QVariant())
                  << qint64(std::max(0, request.offset));
    const auto rows = pgQuery(m_connection, sql, filter.values);
    if (!rows) {
        setError(error, rows.error());
        return {};
    }
    QList<IssueRow> issues;
    for (int row = 0; row < rows->rowCount(); ++row)
        issues.append(readIssue(rows.value(), row, request.nowMs));
    return issues;
}

qint64 PgIssueReader::count(const Query &query, qint64 nowMs, QString *error) const
{
    const auto filter = pgIssueFilter(m_connection, query, nowOrClock(nowMs));
    if (!filter) {
        setError(error, filter.error());
        return 0;
    }
    const auto rows = pgQuery(
        m_connection, QStringLiteral("SELECT count(*) FROM issues WHERE %1").arg(filter->where), filter->values);
    if (!rows) {
        setError(error, rows.error());
        return 0;
    }
    return rows->int64(0, 0);
}

StorageResult<IssueRow> PgIssueReader::byId(qint64 id) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT %1 FROM issues WHERE id = $1").arg(kIssueColumnsSql), { PgParam::integer(id) });
    if (!rows)
        return storageErrorFromPg(rows.error());
    if (rows->rowCount() == 0)
        return StorageError::notFound(QStringLiteral("issue %1").arg(id));
    return readIssue(rows.value(), 0, 0);
}

QString PgIssueReader::fingerprint(qint64 id) const
{
    const auto rows
        = m_connection.exec(QStringLiteral("SELECT fingerprint FROM issues WHERE id = $1"), { PgParam::integer(id) });
    return rows && rows->rowCount() > 0 ? rows->text(0, 0) : QString();
}

IssueSummary PgIssueReader::summary(qint64 issueId, int topValues, QString *error) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT key, value, events, first_seen_ms, last_seen_ms FROM issue_facets WHERE issue_id = $1"),
        { PgParam::integer(issueId) });
    if (!rows) {
        setError(error, rows.error());
        return summarizeFacets(issueId, {}, topValues);
    }
    QHash<QString, QList<TagValueCount>> byKey;
    for (int row = 0; row < rows->rowCount(); ++row)
        byKey[rows->text(row, 0)].append(
            TagValueCount { rows->text(row, 1), rows->int64(row, 2), rows->int64(row, 3), rows->int64(row, 4) });
    return summarizeFacets(issueId, std::move(byKey), topValues);
}

QHash<qint64, IssueBrief> PgIssueReader::briefs(const QList<qint64> &issueIds, QString *error) const
{
    // One round trip for the page; ties between releases break by bytes, as SQLite's BINARY collation does.
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT i.id, "
                       "(SELECT count(*) FROM issue_facets f WHERE f.issue_id = i.id AND f.key = 'derived:user'), "
                       "coalesce((SELECT f.value FROM issue_facets f WHERE f.issue_id = i.id AND f.key = 'release' "
                       "ORDER BY f.first_seen_ms, f.value COLLATE \"C\" LIMIT 1), ''), "
                       "coalesce((SELECT f.value FROM issue_facets f WHERE f.issue_id = i.id AND f.key = 'release' "
                       "ORDER BY f.last_seen_ms DESC, f.value COLLATE \"C\" LIMIT 1), '') "
                       "FROM unnest($1::bigint[]) AS i(id)"),
        { pgIntegerArray(issueIds) });
    if (!rows) {
        setError(error, rows.error());
        return {};
    }
    QHash<qint64, IssueBrief> briefs;
    for (int row = 0; row < rows->rowCount(); ++row)
        briefs.insert(rows->int64(row, 0), IssueBrief { rows->int64(row, 1), rows->text(row, 2), rows->text(row, 3) });
    return briefs;
}

} // namespace faultline
