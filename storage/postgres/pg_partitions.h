#pragma once
// The monthly partitions of events, event_tags and attachments (UTC months of
// received_ms), made on demand by whoever writes first into a month.
#include "storage/postgres/pg_connection.h"

#include <QSet>
#include <QString>

namespace faultline {

struct PartitionMonth {
    qint64 fromMs = 0; // first millisecond of the month (UTC), inclusive
    qint64 toMs = 0; // first millisecond of the next month, exclusive
    QString suffix; // "p2026_12": events_p2026_12, event_tags_p2026_12…
};

PartitionMonth partitionMonthOf(qint64 epochMs);

// Remembers, per connection, the months it made or found, so a batch costs
// no DDL round trip once its month exists.
class PgPartitions {
public:
    // Makes the month's partitions of the three tables if they are missing
    // (the schema's make_month_partitions(), which the collector role may call),
    // in a transaction of its own (none may be open): creating a partition
    // locks its parent table, which must not happen inside a batch that holds
    // row locks. Serialised by an advisory lock, so two writers starting a
    // month at once do not trip over each other's CREATE.
    PgStatus ensureMonth(PgConnection &connection, qint64 epochMs);
    // This month's partitions and the next month's, made ahead by the
    // collectors (at start and with each retention run), so the first event
    // of a month never waits for a CREATE TABLE (`faultline db check` looks).
    PgStatus ensureMonthsAhead(PgConnection &connection, qint64 nowMs);

private:
    QSet<qint64> m_known; // fromMs of months known to exist
};

} // namespace faultline
