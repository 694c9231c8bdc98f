#include "storage/event_queries.h"

#include "model/derived_tags.h"
#include "storage/database.h"
#include "storage/query_sql.h"
#include "storage/raw_codec.h"
#include "storage/statement.h"

#include <QDateTime>

namespace faultline {

namespace {

} // namespace

// raw is last so that a listing without it never reads the blob.
QString eventColumnsSql(bool withRaw)
{
    return QStringLiteral(
               "events.id, events.event_id, events.issue_id, events.project_id, events.timestamp_ms, "
               "events.received_ms, events.level, events.title, events.message, events.exception_type, "
               "events.exception_value, events.culprit, events.environment, events.release, events.platform, "
               "events.has_locals, events.http_status, events.validation_fields, events.derived_tags")
        + (withRaw ? QStringLiteral(", events.raw, events.raw_size") : QString());
}

namespace {

EventRow readEvent(const Statement &s, bool withRaw)
{
    EventRow row;
    row.rowId = s.int64(0);
    row.eventId = s.text(1);
    row.issueId = s.int64(2);
    row.projectId = s.int64(3);
    row.timestampMs = s.int64(4);
    row.receivedMs = s.int64(5);
    row.level = s.text(6);
    row.title = s.text(7);
    row.message = s.text(8);
    row.exceptionType = s.text(9);
    row.exceptionValue = s.text(10);
    row.culprit = s.text(11);
    row.environment = s.text(12);
    row.release = s.text(13);
    row.platform = s.text(14);
    row.hasLocals = s.int64(15) != 0;
    row.httpStatus = int(s.int64(16));
    row.validationFields = s.text(17).split(u'|', Qt::SkipEmptyParts);
    row.derivedTags = parseDerivedTagsColumn(s.text(18));
    if (withRaw)
        row.rawJson = decompressRaw(s.blob(19), s.int64(20));
    return row;
}

QList<EventRow> readAll(Statement &select, bool withRaw, QString *error)
{
    QList<EventRow> rows;
    while (select.step())
        rows.append(readEvent(select, withRaw));
    if (!select.error().isEmpty()) {
        if (error)
            *error = select.error();
        return {};
    }
    return rows;
}

qint64 countOf(Statement &select, QString *error)
{
    if (select.step())
        return select.int64(0);
    if (error)
        *error = select.error();
    return 0;
}

qint64 sqlLimit(int limit)
{
    return limit > 0 ? qint64(limit) : qint64(-1); // SQLite: negative = no limit
}

} // namespace

qint64 EventQueries::countForIssue(qint64 issueId, QString *error) const
{
    Statement select(m_db.handle(), QStringLiteral("SELECT count(*) FROM events WHERE issue_id = ?"));
    select.bind(1, issueId);
    return countOf(select, error);
}

QList<EventRow> EventQueries::forIssue(qint64 issueId, int limit, int offset, bool withRaw, QString *error) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT %1 FROM events WHERE issue_id = ? "
                       "ORDER BY received_ms DESC, id DESC LIMIT ? OFFSET ?")
            .arg(eventColumnsSql(withRaw)));
    select.bindAll({ issueId, sqlLimit(limit), qint64(std::max(0, offset)) });
    return readAll(select, withRaw, error);
}

qint64 EventQueries::newerInIssue(qint64 issueId, qint64 receivedMs, qint64 rowId, QString *error) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT count(*) FROM events WHERE issue_id = ?1 "
                       "AND (received_ms > ?2 OR (received_ms = ?2 AND id > ?3))"));
    select.bindAll({ issueId, receivedMs, rowId });
    return countOf(select, error);
}

QList<EventRow> EventQueries::search(
    const Query &query, int limit, int offset, qint64 nowMs, bool withRaw, QString *error) const
{
    const SqlFilter filter = eventFilterSql(query, nowMs > 0 ? nowMs : QDateTime::currentMSecsSinceEpoch());
    // Rows are inserted in arrival order, so the rowid order is "newest first" without an index.
    Statement select(m_db.handle(),
        QStringLiteral("SELECT %1 FROM events WHERE %2 ORDER BY events.id DESC LIMIT ? OFFSET ?")
            .arg(eventColumnsSql(withRaw), filter.where));
    select.bindAll(filter.values);
    select.bind(int(filter.values.size()) + 1, sqlLimit(limit));
    select.bind(int(filter.values.size()) + 2, qint64(std::max(0, offset)));
    return readAll(select, withRaw, error);
}

QList<EventRow> EventQueries::searchInIssue(
    qint64 issueId, const Query &query, int limit, int offset, qint64 nowMs, bool withRaw, QString *error) const
{
    const SqlFilter filter = eventFilterSql(query, nowMs > 0 ? nowMs : QDateTime::currentMSecsSinceEpoch());
    Statement select(m_db.handle(),
        QStringLiteral("SELECT %1 FROM events WHERE events.issue_id = ? AND (%2) "
                       "ORDER BY events.received_ms DESC, events.id DESC LIMIT ? OFFSET ?")
            .arg(eventColumnsSql(withRaw), filter.where));
    select.bind(1, issueId);
    select.bindAll(filter.values, 2);
    select.bind(int(filter.values.size()) + 2, sqlLimit(limit));
    select.bind(int(filter.values.size()) + 3, qint64(std::max(0, offset)));
    return readAll(select, withRaw, error);
}

StorageResult<EventRow> EventQueries::byEventId(const QString &eventId, qint64 projectId, bool withRaw) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT %1 FROM events WHERE event_id = ? AND (?2 = 0 OR project_id = ?2) "
                       "ORDER BY id DESC LIMIT 1")
            .arg(eventColumnsSql(withRaw)));
    select.bindAll({ eventId, projectId });
    if (select.step())
        return readEvent(select, withRaw);
    return select.noRow(QStringLiteral("event %1").arg(eventId));
}

QList<Tag> EventQueries::tags(qint64 eventRow) const
{
    Statement select(
        m_db.handle(), QStringLiteral("SELECT key, value FROM event_tags WHERE event_row = ? ORDER BY rowid"));
    select.bind(1, eventRow);
    QList<Tag> tags;
    while (select.step())
        tags.append(Tag(select.text(0), select.text(1)));
    return tags;
}

QList<StoredAttachment> EventQueries::attachments(qint64 eventRow, bool withData) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT a.id, a.filename, a.content_type, a.attachment_type, a.size, a.sha256%1 "
                       "FROM attachments a %2 WHERE a.event_row = ? ORDER BY a.id")
            .arg(withData ? QStringLiteral(", b.data") : QString(),
                withData ? QStringLiteral("JOIN attachment_blobs b ON b.sha256 = a.sha256") : QString()));
    select.bind(1, eventRow);
    QList<StoredAttachment> attachments;
    while (select.step()) {
        StoredAttachment attachment { select.int64(0), select.text(1), select.text(2), select.text(3), select.int64(4),
            select.text(5), {} };
        if (withData)
            attachment.data = select.blob(6);
        attachments.append(attachment);
    }
    return attachments;
}

} // namespace faultline
