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

// Version 21: free text found as SQLite's FTS5 finds it, whatever the database's
// locale. The 'simple' configuration folds case by the database's LC_CTYPE (in
// a C-locale database, "Überweisung" stays capitalised) and keeps diacritics;
// FTS5's unicode61 tokenizer folds every letter and drops diacritics. Both the
// stored vector and the query's words now go through search_fold(): lower case
// by ICU's root locale ("und-x-icu", present when the server was built with
// ICU, as Debian's and the PGDG packages are), NFD, combining marks removed.
// search_words() then turns every run of non-letters, non-digits into one space
// (what the tokenizer splits on; by ICU's classes, so "«» <>" split too). Text
// that is all ASCII (most events) skips ICU and NFD: the same answer, a fifth of
// the cost. A server without ICU or a database not in UTF-8 keeps the old rule
// (case by LC_CTYPE, punctuation to spaces) rather than failing to migrate.
const char *const kLocaleFreeSearch = R"sql(
DO $$
DECLARE
    unicode boolean := getdatabaseencoding() = 'UTF8'
        AND EXISTS (SELECT FROM pg_collation WHERE collname = 'und-x-icu');
    ascii text := 'octet_length(words) = length(words)';
BEGIN
    IF unicode THEN
        EXECUTE format('CREATE FUNCTION search_fold(words text) RETURNS text IMMUTABLE PARALLEL SAFE '
            'LANGUAGE sql AS %L', format($f$SELECT CASE WHEN %s THEN lower(words) ELSE regexp_replace(normalize(
                lower(words COLLATE "und-x-icu"), NFD), '[\u0300-\u036f]', '', 'g') END$f$, ascii));
        EXECUTE format('CREATE FUNCTION search_words(words text) RETURNS text IMMUTABLE PARALLEL SAFE '
            'LANGUAGE sql AS %L', format($f$SELECT CASE WHEN %s THEN regexp_replace(lower(words), '[^[:alnum:]]+',
                ' ', 'g') ELSE regexp_replace(search_fold(words) COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g')
                END$f$, ascii));
    ELSE
        CREATE FUNCTION search_fold(words text) RETURNS text IMMUTABLE PARALLEL SAFE LANGUAGE sql
            AS $f$SELECT lower(words)$f$;
        CREATE FUNCTION search_words(words text) RETURNS text IMMUTABLE PARALLEL SAFE LANGUAGE sql
            AS $f$SELECT regexp_replace(words, '[[:punct:]]', ' ', 'g')$f$;
    END IF;
END
$$;
ALTER TABLE events DROP COLUMN search;
ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_words(
    title || ' ' || message || ' ' || exception_values || ' ' || culprit || ' ' || frames))) STORED;
CREATE INDEX events_search ON events USING gin(search);
)sql";

PgError schemaError(const QString &message) { return PgError { PgError::Kind::Schema, {}, message }; }

} // namespace

const QList<PgMigration> &postgresMigrations()
{
    static const QList<PgMigration> migrations
        = { { 19, kPostgresSchemaV19 }, { 20, kChangeNotifications }, { 21, kLocaleFreeSearch } };
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
