#pragma once
// The collector's refusal counts and examples (DropLog, storage/drop_log.h)
// in PostgreSQL (#18): refusal_counts and refusal_examples, as
// DroppedEventsStore::addRefusals keeps them in SQLite. Several collectors add
// to the same rows: counts grow by upsert, and the newer example wins.
#include "storage/dropped_events.h"
#include "storage/postgres/pg_connection.h"

namespace faultline {

class PgDropStore {
public:
    explicit PgDropStore(PgConnection &connection)
        : m_connection(connection)
    {
    }

    // Adds refusal counts (in the hour of nowMs) and keeps the newer example, in one transaction.
    PgStatus addRefusals(const QList<DropRecord> &records, qint64 nowMs);

private:
    PgConnection &m_connection;
};

} // namespace faultline
