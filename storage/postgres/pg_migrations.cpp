#include "storage/postgres/pg_migrations.h"

#include "storage/postgres/pg_schema.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

// pg_advisory_xact_lock's key for "migrating Faultline's schema": 'faultlin' in ASCII.
constexpr qint64 kMigrationLockKey = 0x6661756c746c696e;

// One row per applied migration: which ran, and when.
const char *const kVersionTable = "CREATE TABLE IF NOT EXISTS schema_migrations("
                                  "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";

PgError schemaError(const QString &message) { return PgError { PgError::Kind::Schema, {}, message }; }

} // namespace

const QList<PgMigration> &postgresMigrations()
{
    static const QList<PgMigration> migrations = { { 19, kPostgresSchemaV19 } };
    return migrations;
}

int latestPostgresSchemaVersion() { return postgresMigrations().constLast().version; }

PgResult<int> postgresSchemaVersion(PgConnection &connection)
{
    // Two statements: the server resolves every table a statement names before
    // it runs, so one CASE over a missing schema_migrations fails instead of saying 0.
    PgResult<PgRows> exists = connection.exec(QStringLiteral("SELECT to_regclass('schema_migrations') IS NOT NULL"));
    if (!exists)
        return exists.error();
    if (!exists->boolean(0, 0))
        return 0;
    PgResult<PgRows> rows = connection.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    if (!rows)
        return rows.error();
    return int(rows->int64(0, 0));
}

PgResult<int> migratePostgres(PgConnection &connection)
{
    int from = 0;
    int version = 0;
    const PgStatus migrated = connection.inLockedTransaction(kMigrationLockKey, [&]() -> PgStatus {
        if (PgStatus created = connection.execScript(kVersionTable); !created)
            return created;
        PgResult<int> current = postgresSchemaVersion(connection);
        if (!current)
            return current.error();
        from = version = current.value();
        const int latest = latestPostgresSchemaVersion();
        if (version > latest)
            return schemaError(QStringLiteral("the database %1 is at schema version %2, newer than this Faultline "
                                              "knows (%3): use a newer Faultline")
                                   .arg(connection.logName())
                                   .arg(version)
                                   .arg(latest));
        for (const PgMigration &migration : postgresMigrations()) {
            if (migration.version <= version)
                continue;
            if (PgStatus applied = connection.execScript(migration.sql); !applied) {
                PgError error = applied.error();
                error.message = QStringLiteral("migration %1: %2").arg(migration.version).arg(error.message);
                return error;
            }
            if (auto noted = connection.exec(QStringLiteral("INSERT INTO schema_migrations(version) VALUES ($1)"),
                    { PgParam::integer(migration.version) });
                !noted)
                return noted.error();
            version = migration.version;
        }
        return PgDone {};
    });
    if (!migrated)
        return migrated.error();
    if (version != from)
        spdlog::info("migrated {} from schema version {} to {}", connection.logName().toStdString(), from, version);
    return version;
}

} // namespace faultline
