#pragma once
// Events on PostgreSQL (#18): EventReader (storage/store_readers.h) with the
// search compiled in query_sql's PostgreSQL dialect; the stored JSON is
// compressed as on SQLite (storage/raw_codec.h). The reads of one issue's
// events (its chart, "event N of M", its Events tab) are in
// pg_issue_events.cpp.
#include "storage/postgres/pg_connection.h"
#include "storage/store_readers.h"

namespace faultline {

// Rows of a SELECT of eventColumnsSql(withRaw), as EventRows; on error empty and *error set.
EventRow pgReadEvent(const PgRows &rows, int row, bool withRaw);
QList<EventRow> pgReadEvents(const PgResult<PgRows> &rows, bool withRaw, QString *error);

class PgEventReader : public EventReader {
public:
    explicit PgEventReader(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QList<EventRow> search(
        const Query &query, int limit, int offset, qint64 nowMs, bool withRaw, QString *error) const override;
    StorageResult<EventRow> byEventId(const QString &eventId, qint64 projectId, bool withRaw) const override;
    QList<EventPage> pages(qint64 eventRow, bool withData, QString *error) const override;

    qint64 countForIssue(qint64 issueId, QString *error) const override;
    QList<EventRow> forIssue(qint64 issueId, int limit, int offset, bool withRaw, QString *error) const override;
    qint64 newerInIssue(qint64 issueId, qint64 receivedMs, qint64 rowId, QString *error) const override;
    QList<EventRow> searchInIssue(qint64 issueId, const Query &query, int limit, int offset, qint64 nowMs, bool withRaw,
        QString *error) const override;
    Histogram histogram(qint64 issueId, const HistogramRange &range, QString *error) const override;
    std::optional<StoredGroupingKey> groupingKey(qint64 eventRow, QString *error) const override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
