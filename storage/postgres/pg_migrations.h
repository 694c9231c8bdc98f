#pragma once
// The PostgreSQL schema as numbered migrations, in step with SQLite's
// (storage/migrations.h): the numbers mean the same schema on both backends.
// A PostgreSQL database starts at version 19, the whole schema of SQLite's
// first 19 migrations at once; each later SQLite migration gets its
// PostgreSQL form here under the same number. Never edit a shipped one.
#include "storage/postgres/pg_connection.h"

#include <QList>

namespace faultline {

struct PgMigration {
    int version; // the schema version after it
    const char *sql;
};

const QList<PgMigration> &postgresMigrations();
int latestPostgresSchemaVersion();

// The version the database is at: 0 when Faultline never migrated it.
PgResult<int> postgresSchemaVersion(PgConnection &connection);

// Brings the database to the latest version in one transaction that holds a
// transaction-level advisory lock: processes starting at once wait for each
// other, and the later ones find the work done. A database newer than this
// build is a Schema error (an older Faultline must not write to it).
// Returns the version it is at.
PgResult<int> migratePostgres(PgConnection &connection);

} // namespace faultline
