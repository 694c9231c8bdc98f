#pragma once
// Events on PostgreSQL (#18): EventReader (storage/store_readers.h) with the
// search compiled in query_sql's PostgreSQL dialect; the stored JSON is
// compressed as on SQLite (storage/raw_codec.h).
#include "storage/store_readers.h"

namespace faultline {

class PgConnection;

class PgEventReader : public EventReader {
public:
    explicit PgEventReader(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QList<EventRow> search(
        const Query &query, int limit, int offset, qint64 nowMs, bool withRaw, QString *error) const override;
    std::optional<EventRow> byEventId(const QString &eventId, qint64 projectId, bool withRaw) const override;
    QList<EventPage> pages(qint64 eventRow) const override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
