#pragma once
// The same events on PostgreSQL, for tests that run once per backend (#18): a
// SQLite test database copied (storage/postgres/pg_copy.h, as `faultline db
// copy` does) into a fresh database of a throw-away cluster. For tests that
// link faultline_storage.
#include "storage/database.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_copy.h"
#include "support/postgres_cluster.h"

namespace faultline::test {

// The new database's URI; empty and *error set when it failed.
inline QString copyIntoCluster(
    PostgresCluster &cluster, const QString &sqlitePath, const QString &database, QString *error)
{
    if (!cluster.createDatabase(database)) {
        *error = cluster.error();
        return {};
    }
    QString openError;
    const std::unique_ptr<Database> source = Database::open(sqlitePath, Database::Mode::ReadOnly, &openError);
    if (!source) {
        *error = openError;
        return {};
    }
    const QString uri = cluster.uri(database);
    PgResult<std::unique_ptr<PgConnection>> target = PgConnection::open(uri);
    if (!target) {
        *error = target.error().message;
        return {};
    }
    const PgResult<PgCopyReport> copied = copySqliteToPostgres(*source, *target.value());
    if (!copied || !copied->countsMatch()) {
        *error = copied ? QStringLiteral("the copy's counts differ") : copied.error().message;
        return {};
    }
    return uri;
}

} // namespace faultline::test
