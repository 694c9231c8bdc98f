#include "storage/postgres/pg_event_reader.h"

#include "model/derived_tags.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_query_params.h"
#include "storage/postgres/pg_storage_error.h"
#include "storage/query_sql.h"
#include "storage/raw_codec.h"

#include <QDateTime>

namespace faultline {

EventRow pgReadEvent(const PgRows &r, int row, bool withRaw)
{
    EventRow event;
    event.rowId = r.int64(row, 0);
    event.eventId = r.text(row, 1);
    event.issueId = r.int64(row, 2);
    event.projectId = r.int64(row, 3);
    event.timestampMs = r.int64(row, 4);
    event.receivedMs = r.int64(row, 5);
    event.level = r.text(row, 6);
    event.title = r.text(row, 7);
    event.message = r.text(row, 8);
    event.exceptionType = r.text(row, 9);
    event.exceptionValue = r.text(row, 10);
    event.culprit = r.text(row, 11);
    event.environment = r.text(row, 12);
    event.release = r.text(row, 13);
    event.platform = r.text(row, 14);
    event.hasLocals = r.int64(row, 15) != 0;
    event.httpStatus = int(r.int64(row, 16));
    event.validationFields = r.text(row, 17).split(u'|', Qt::SkipEmptyParts);
    event.derivedTags = parseDerivedTagsColumn(r.text(row, 18));
    if (withRaw)
        event.rawJson = decompressRaw(pgByteaFromText(r.bytes(row, 19)), r.int64(row, 20));
    return event;
}

QList<EventRow> pgReadEvents(const PgResult<PgRows> &rows, bool withRaw, QString *error)
{
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return {};
    }
    QList<EventRow> events;
    for (int row = 0; row < rows->rowCount(); ++row)
        events.append(pgReadEvent(rows.value(), row, withRaw));
    return events;
}

QList<EventRow> PgEventReader::search(
    const Query &query, int limit, int offset, qint64 nowMs, bool withRaw, QString *error) const
{
    SqlFilter filter
        = eventFilterSql(query, nowMs > 0 ? nowMs : QDateTime::currentMSecsSinceEpoch(), SqlDialect::Postgres);
    // Ids come from one sequence in arrival order: newest first, as on SQLite. LIMIT NULL is no limit.
    const QString sql = QStringLiteral("SELECT %1 FROM events WHERE %2 ORDER BY events.id DESC LIMIT ? OFFSET ?")
                            .arg(eventColumnsSql(withRaw), filter.where);
    filter.values << (limit > 0 ? QVariant(qint64(limit)) : QVariant()) << qint64(std::max(0, offset));
    return pgReadEvents(pgQuery(m_connection, sql, filter.values), withRaw, error);
}

StorageResult<EventRow> PgEventReader::byEventId(const QString &eventId, qint64 projectId, bool withRaw) const
{
    const auto rows
        = m_connection.exec(QStringLiteral("SELECT %1 FROM events WHERE event_id = $1 AND ($2 = 0 OR project_id = $2) "
                                           "ORDER BY id DESC LIMIT 1")
                                .arg(eventColumnsSql(withRaw)),
            { PgParam::text(eventId), PgParam::integer(projectId) });
    if (!rows)
        return storageErrorFromPg(rows.error());
    if (rows->rowCount() == 0)
        return StorageError::notFound(QStringLiteral("event %1").arg(eventId));
    return pgReadEvent(rows.value(), 0, withRaw);
}

QList<EventPage> PgEventReader::pages(qint64 eventRow, bool withData, QString *error) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT a.id, a.filename, a.content_type, e.http_status, a.size, a.sha256%1 "
                       "FROM attachments a JOIN events e ON e.id = a.event_row %2WHERE a.event_row = $1 ORDER BY a.id")
            .arg(withData ? QStringLiteral(", b.data") : QString(),
                withData ? QStringLiteral("JOIN attachment_blobs b ON b.sha256 = a.sha256 ") : QString()),
        { PgParam::integer(eventRow) });
    if (!rows && error)
        *error = rows.error().message;
    QList<EventPage> pages;
    for (int row = 0; rows && row < rows->rowCount(); ++row) {
        const QString filename = rows->text(row, 1);
        const QString contentType = rows->text(row, 2);
        if (!PageQueries::isPage(filename, contentType))
            continue;
        pages.append(EventPage { rows->int64(row, 0), eventRow, filename, contentType,
            PageQueries::statusCodeOf(filename, int(rows->int64(row, 3))), rows->int64(row, 4), rows->text(row, 5),
            withData ? pgByteaFromText(rows->bytes(row, 6)) : QByteArray() });
    }
    return pages;
}

} // namespace faultline
