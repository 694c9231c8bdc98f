#include "storage/page_queries.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace faultline {

namespace {

// The schema has no status column for attachments: services name the page
// after the status they answered ("500.html"), and the event may carry the
// status too (events.http_status). Kept in step with PageQueries::statusCodeOf.
const QString kStatusSql = QStringLiteral(
    "CASE WHEN lower(a.filename) GLOB '[1-5][0-9][0-9].html' OR lower(a.filename) GLOB '[1-5][0-9][0-9].htm' "
    "THEN CAST(substr(a.filename, 1, 3) AS INTEGER) ELSE e.http_status END");

// Kept in step with PageQueries::isPage.
const QString kIsPageSql
    = QStringLiteral("(lower(trim(a.content_type)) = 'text/html' OR lower(trim(a.content_type)) LIKE 'text/html;%' "
                     "OR lower(a.filename) LIKE '%.html' OR lower(a.filename) LIKE '%.htm')");

void setError(QString *error, const Statement &statement)
{
    if (error)
        *error = statement.error();
}

QJsonArray jsonArray(const QString &text) { return QJsonDocument::fromJson(text.toUtf8()).array(); }

} // namespace

bool PageQueries::isPage(const QString &filename, const QString &contentType)
{
    const QString type = contentType.trimmed().toLower();
    const QString name = filename.toLower();
    return type == u"text/html" || type.startsWith(QLatin1String("text/html;")) || name.endsWith(QLatin1String(".html"))
        || name.endsWith(QLatin1String(".htm"));
}

int PageQueries::statusCodeOf(const QString &filename, int eventHttpStatus)
{
    static const QRegularExpression statusPage(
        QStringLiteral("^([1-5][0-9][0-9])\\.html?$"), QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = statusPage.match(filename);
    return match.hasMatch() ? match.captured(1).toInt() : eventHttpStatus;
}

QList<EventPage> PageQueries::forEvent(qint64 eventRow, bool withData, QString *error) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT a.id, a.event_row, a.filename, a.content_type, %1, a.size, a.sha256%2 "
                       "FROM attachments a JOIN events e ON e.id = a.event_row %3 "
                       "WHERE a.event_row = ?1 AND %4 ORDER BY a.id")
            .arg(kStatusSql, withData ? QStringLiteral(", b.data") : QString(),
                withData ? QStringLiteral("JOIN attachment_blobs b ON b.sha256 = a.sha256") : QString(), kIsPageSql));
    select.bind(1, eventRow);
    QList<EventPage> pages;
    while (select.step()) {
        EventPage page { select.int64(0), select.int64(1), select.text(2), select.text(3), int(select.int64(4)),
            select.int64(5), select.text(6), {} };
        if (withData)
            page.data = select.blob(7);
        pages.append(page);
    }
    setError(error, select);
    return pages;
}

QList<DistinctPage> groupPageVariants(const QList<PageVariantRow> &rows)
{
    QList<DistinctPage> pages;
    QHash<QString, qsizetype> groupIndex; // "project/status/shape" -> index in pages
    for (const PageVariantRow &row : rows) {
        const QString key = QStringLiteral("%1/%2/%3").arg(row.projectId).arg(row.statusCode).arg(row.shape);
        auto found = groupIndex.constFind(key);
        if (found == groupIndex.cend()) {
            // Rows come newest first: a group's first row is its newest variant, the one it shows.
            DistinctPage page;
            page.projectId = row.projectId;
            page.statusCode = row.statusCode;
            page.shape = row.shape;
            page.sha256 = row.variant.sha256;
            page.size = row.variant.size;
            page.firstSeenMs = row.firstSeenMs;
            page.filename = row.filename;
            page.contentType = row.contentType;
            found = groupIndex.insert(key, pages.size());
            pages.append(page);
        }
        DistinctPage &page = pages[*found];
        page.variants.append(row.variant);
        page.events += row.variant.events;
        page.firstSeenMs = std::min(page.firstSeenMs, row.firstSeenMs);
        page.lastSeenMs = std::max(page.lastSeenMs, row.variant.lastSeenMs);
        for (const QJsonValue &id : jsonArray(row.issueIdsJson))
            if (!page.issueIds.contains(id.toInteger()))
                page.issueIds.append(id.toInteger());
        for (const QJsonValue &release : jsonArray(row.releasesJson))
            if (!release.toString().isEmpty() && !page.releases.contains(release.toString()))
                page.releases.append(release.toString());
    }
    for (DistinctPage &page : pages) {
        std::sort(page.issueIds.begin(), page.issueIds.end());
        page.releases.sort();
    }
    return pages;
}

QList<qint64> pageIssueIds(const QList<DistinctPage> &pages)
{
    QList<qint64> ids;
    for (const DistinctPage &page : pages)
        ids.append(page.issueIds);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void setPageIssueTitles(QList<DistinctPage> &pages, const QHash<qint64, QString> &titles)
{
    for (DistinctPage &page : pages) {
        page.issueTitles.clear();
        for (qint64 id : std::as_const(page.issueIds))
            page.issueTitles.append(titles.value(id));
    }
}

QList<DistinctPage> PageQueries::distinctPages(qint64 projectId, QString *error) const
{
    // One row per variant (exact bytes) of each group (project, status, shape),
    // newest variant first; `ranked.newest` picks the newest occurrence's
    // filename and content type, since the same bytes may travel under different names.
    Statement select(m_db.handle(),
        QStringLiteral(
            "WITH pages AS ("
            "  SELECT a.id AS attachment_id, a.event_row, a.filename, a.content_type, a.size, a.sha256,"
            "         coalesce(b.shape, a.sha256) AS shape,"
            "         e.project_id, e.issue_id, e.received_ms, e.release, %1 AS status_code"
            "  FROM attachments a JOIN events e ON e.id = a.event_row"
            "  JOIN attachment_blobs b ON b.sha256 = a.sha256"
            "  WHERE (?1 = 0 OR e.project_id = ?1) AND %2"
            "), ranked AS ("
            "  SELECT *, row_number() OVER (PARTITION BY project_id, status_code, sha256"
            "                               ORDER BY received_ms DESC, attachment_id DESC) AS newest"
            "  FROM pages"
            ") "
            "SELECT project_id, status_code, shape, sha256, max(size), count(DISTINCT event_row),"
            "       min(received_ms), max(received_ms),"
            "       max(CASE WHEN newest = 1 THEN filename END), max(CASE WHEN newest = 1 THEN content_type END),"
            "       json_group_array(DISTINCT issue_id), json_group_array(DISTINCT release) "
            "FROM ranked GROUP BY project_id, status_code, shape, sha256 "
            "ORDER BY max(received_ms) DESC, status_code, sha256")
            .arg(kStatusSql, kIsPageSql));
    select.bind(1, projectId);
    QList<PageVariantRow> rows;
    while (select.step())
        rows.append(PageVariantRow { select.int64(0), int(select.int64(1)), select.text(2),
            PageVariant { select.text(3), select.int64(4), select.int64(5), select.int64(7) }, select.int64(6),
            select.text(8), select.text(9), select.text(10), select.text(11) });
    if (!select.error().isEmpty()) {
        setError(error, select);
        return {};
    }
    QList<DistinctPage> pages = groupPageVariants(rows);
    if (pages.isEmpty())
        return pages;

    // One more query for every group's issue titles, rather than one per group.
    QJsonArray ids;
    for (qint64 id : pageIssueIds(pages))
        ids.append(id);
    Statement titles(
        m_db.handle(), QStringLiteral("SELECT id, title FROM issues WHERE id IN (SELECT value FROM json_each(?1))"));
    titles.bind(1, QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)));
    QHash<qint64, QString> titleById;
    while (titles.step())
        titleById.insert(titles.int64(0), titles.text(1));
    if (!titles.error().isEmpty()) {
        setError(error, titles);
        return {};
    }
    setPageIssueTitles(pages, titleById);
    return pages;
}

StorageResult<QByteArray> PageQueries::data(const QString &sha256) const
{
    Statement select(m_db.handle(), QStringLiteral("SELECT data FROM attachment_blobs WHERE sha256 = ?1"));
    select.bind(1, sha256);
    if (select.step())
        return select.blob(0);
    return select.noRow(QStringLiteral("page %1").arg(sha256));
}

} // namespace faultline
