#include "storage/postgres/pg_page_reader.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_query_params.h"
#include "storage/postgres/pg_rows_statement.h"
#include "storage/postgres/pg_storage_error.h"

namespace faultline {

namespace {

// As page_queries.cpp's, in PostgreSQL's words: a name like "500.html" is the
// status, else the event's; a page is text/html or named *.html / *.htm.
const char *const kStatusSql = "CASE WHEN lower(a.filename) ~ '^[1-5][0-9][0-9]\\.html?$' "
                               "THEN substr(a.filename, 1, 3)::integer ELSE e.http_status END";
const char *const kIsPageSql
    = "(lower(trim(a.content_type)) = 'text/html' OR lower(trim(a.content_type)) LIKE 'text/html;%' "
      "OR lower(a.filename) LIKE '%.html' OR lower(a.filename) LIKE '%.htm')";

} // namespace

QList<DistinctPage> PgPageReader::distinctPages(qint64 projectId, QString *error) const
{
    // The query of PageQueries::distinctPages; hashes ordered by bytes, as SQLite's BINARY collation does.
    const auto rows = m_connection.exec(
        QStringLiteral(
            "WITH pages AS ("
            "  SELECT a.id AS attachment_id, a.event_row, a.filename, a.content_type, a.size, a.sha256,"
            "         coalesce(b.shape, a.sha256) AS shape,"
            "         e.project_id, e.issue_id, e.received_ms, e.release, %1 AS status_code"
            "  FROM attachments a JOIN events e ON e.id = a.event_row AND e.received_ms = a.received_ms"
            "  JOIN attachment_blobs b ON b.sha256 = a.sha256"
            "  WHERE ($1 = 0 OR e.project_id = $1) AND %2"
            "), ranked AS ("
            "  SELECT *, row_number() OVER (PARTITION BY project_id, status_code, sha256"
            "                               ORDER BY received_ms DESC, attachment_id DESC) AS newest"
            "  FROM pages"
            ") "
            "SELECT project_id, status_code, shape, sha256, max(size), count(DISTINCT event_row),"
            "       min(received_ms), max(received_ms),"
            "       max(CASE WHEN newest = 1 THEN filename END), max(CASE WHEN newest = 1 THEN content_type END),"
            "       json_agg(DISTINCT issue_id)::text, json_agg(DISTINCT release)::text "
            "FROM ranked GROUP BY project_id, status_code, shape, sha256 "
            "ORDER BY max(received_ms) DESC, status_code, sha256 COLLATE \"C\"")
            .arg(QLatin1String(kStatusSql), QLatin1String(kIsPageSql)),
        { PgParam::integer(projectId) });
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return {};
    }
    QList<PageVariantRow> variants;
    for (int row = 0; row < rows->rowCount(); ++row)
        variants.append(PageVariantRow { rows->int64(row, 0), int(rows->int64(row, 1)), rows->text(row, 2),
            PageVariant { rows->text(row, 3), rows->int64(row, 4), rows->int64(row, 5), rows->int64(row, 7) },
            rows->int64(row, 6), rows->text(row, 8), rows->text(row, 9), rows->text(row, 10), rows->text(row, 11) });
    QList<DistinctPage> pages = groupPageVariants(variants);
    if (pages.isEmpty())
        return pages;
    const auto titles = m_connection.exec(QStringLiteral("SELECT id, title FROM issues WHERE id = ANY($1::bigint[])"),
        { pgIntegerArray(pageIssueIds(pages)) });
    if (!titles) {
        if (error)
            *error = titles.error().message;
        return {};
    }
    QHash<qint64, QString> titleById;
    for (int row = 0; row < titles->rowCount(); ++row)
        titleById.insert(titles->int64(row, 0), titles->text(row, 1));
    setPageIssueTitles(pages, titleById);
    return pages;
}

StorageResult<QByteArray> PgPageReader::data(const QString &sha256) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT data FROM attachment_blobs WHERE sha256 = $1"), { PgParam::text(sha256) });
    if (!rows)
        return storageErrorFromPg(rows.error());
    if (rows->rowCount() == 0)
        return StorageError::notFound(QStringLiteral("page %1").arg(sha256));
    return pgByteaFromText(rows->bytes(0, 0));
}

} // namespace faultline
