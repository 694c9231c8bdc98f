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

// Version 20: change notifications for the windows that view this database
// (pg_change_listener.h). Statement-level triggers, so no writer (collectors,
// status changes, merges, rules, whatever comes later) can forget to tell:
// PostgreSQL delivers a NOTIFY on COMMIT only, never for a rolled-back
// transaction, and folds identical payloads of one transaction into one.
// The payload names the kind of what changed: "events", "issues" or
// "projects". A trigger function runs as the role whose statement fired it,
// and pg_notify needs no grant: the collector and viewer roles of
// `faultline db roles` need nothing new. A table added later that a window
// shows gets its trigger in its own migration.
const char *const kChangeNotifications = R"sql(
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('faultline_changes', TG_ARGV[0]);
    RETURN NULL;
END
$$;
-- Which table tells which kind.
DO $$
DECLARE
    watched record;
BEGIN
    FOR watched IN SELECT * FROM (VALUES ('events', 'events'), ('issues', 'issues'), ('grouping_keys', 'issues'),
            ('grouping_rules', 'issues'), ('grouping_rule_keys', 'issues'), ('projects', 'projects'),
            ('project_settings', 'projects')) AS t(table_name, kind) LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                'FOR EACH STATEMENT EXECUTE FUNCTION notify_change(%L)',
            watched.table_name || '_changed', watched.table_name, watched.kind);
    END LOOP;
END
$$;
)sql";

PgError schemaError(const QString &message) { return PgError { PgError::Kind::Schema, {}, message }; }

} // namespace

const QList<PgMigration> &postgresMigrations()
{
    static const QList<PgMigration> migrations = { { 19, kPostgresSchemaV19 }, { 20, kChangeNotifications } };
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
