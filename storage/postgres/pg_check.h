#pragma once
// `faultline db check` on PostgreSQL (#18): what can be wrong with a shared
// database that the server's own guarantees (WAL, constraints, checksums)
// leave to Faultline: the schema's version and applied migrations, the
// monthly partitions events need now and at the turn of the month, and rows
// that point at nothing where no foreign key can (partitioned tables carry
// none) or where grouping must agree with itself.
#include "storage/postgres/pg_connection.h"

#include <QStringList>

namespace faultline {

struct PgCheckReport {
    QStringList facts; // "schema version 21 (migrations 19–21 applied)", "partitions: p2026_12, p2027_01"
    QStringList problems; // empty: nothing wrong found
};

// `nowMs`: which months must have their partitions (this one and the next).
PgCheckReport checkPostgresDatabase(PgConnection &connection, qint64 nowMs);

} // namespace faultline
