#pragma once
// A throw-away cluster with one database at this build's schema, for tests of
// the PostgreSQL backend that link faultline_storage (#18): started as
// support/postgres_cluster.h says, migrated as a collector's first start does.
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_migrations.h"
#include "support/postgres_cluster.h"

#include <memory>

namespace faultline::test {

// Starts `cluster`, creates `database`, migrates it and answers a connection to
// it; null and *error set when any step failed. For initTestCase:
//   QString failed;
//   m_db = startMigrated(m_cluster, QStringLiteral("name"), &failed);
//   QVERIFY2(m_db, qPrintable(failed));
inline std::unique_ptr<PgConnection> startMigrated(PostgresCluster &cluster, const QString &database, QString *error)
{
    if (!cluster.startWithDatabase(database)) {
        *error = cluster.error();
        return nullptr;
    }
    PgResult<std::unique_ptr<PgConnection>> connection = PgConnection::open(cluster.uri(database));
    if (!connection) {
        *error = connection.error().message;
        return nullptr;
    }
    if (PgResult<int> migrated = migratePostgres(*connection.value()); !migrated) {
        *error = migrated.error().message;
        return nullptr;
    }
    return std::move(connection).value();
}

} // namespace faultline::test
