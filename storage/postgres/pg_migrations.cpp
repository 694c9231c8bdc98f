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

// Version 22: the issue list's free text without visiting every matching
// event (#18): one row per issue with the words of its events, kept by the
// server itself (statement triggers on events, as version 20's, so the batch
// writer, merges, splits, regrouping and `db copy` cannot forget it) and found
// through a GIN index of its own. A match there only nominates an issue: the
// list then asks whether one of its events matches (an index probe that stops
// at the first), so the words may be a superset of what is stored. They are:
// words stay when retention drops their events or a split moves them away.
// Beside the words, the pairs of words that stood side by side in an event
// ("customer0failed": no kept word holds a digit, so a pair is never a word),
// so a phrase nominates only the issues where its words were adjacent.
// Unbounded growth is kept out twice: a word keeps only what comes before its
// first digit ("order12345" is "order", "404" nothing; issue_word()), and an
// issue past 1,000 words and pairs stops collecting and is marked incomplete, which the
// list checks through its events instead (pgIssueWordsQuery(), query_sql.cpp).
// The trigger runs as the owner, so neither role needs a grant to write it;
// the viewer and collector roles that read issues read it too.
const char *const kIssueWords = R"sql(
CREATE TABLE issue_words(
    issue_id bigint PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
    words tsvector NOT NULL,
    complete boolean NOT NULL
);
CREATE INDEX issue_words_search ON issue_words USING gin(words);
CREATE INDEX issue_words_incomplete ON issue_words(issue_id) WHERE NOT complete;

CREATE FUNCTION issue_word(lexeme text) RETURNS text IMMUTABLE PARALLEL SAFE LANGUAGE sql
    AS $$SELECT substring(lexeme FROM '^[^0-9]*')$$;
-- An event's words and the pairs of adjacent ones, from its vector's positions (the same positions
-- `@@ 'a' <-> 'b'` reads, so a phrase that matches the event finds its pairs here); duplicates left in.
-- PL/pgSQL walking arrays: a SQL function joining the positions cost three times as much per event.
CREATE FUNCTION event_words(search tsvector) RETURNS text[] IMMUTABLE PARALLEL SAFE LANGUAGE plpgsql AS $$
DECLARE
    word_at text[] := '{}';
    words text[] := '{}';
    lexeme text;
    positions smallint[];
    word text;
    p int;
BEGIN
    FOR lexeme, positions IN SELECT l.lexeme, l.positions FROM unnest(search) l LOOP
        word := issue_word(lexeme);
        IF word <> '' THEN
            words := words || word;
            FOREACH p IN ARRAY coalesce(positions, '{}') LOOP
                word_at[p] := word;
            END LOOP;
        END IF;
    END LOOP;
    FOR p IN SELECT generate_subscripts(word_at, 1) LOOP
        IF word_at[p] IS NOT NULL AND word_at[p + 1] IS NOT NULL THEN
            words := words || (word_at[p] || '0' || word_at[p + 1]);
        END IF;
    END LOOP;
    RETURN words;
END
$$;
-- An issue's row from its distinct words and pairs (event_words(), none empty): none kept past 1,000.
CREATE FUNCTION issue_words_row(issue bigint, words text[]) RETURNS issue_words IMMUTABLE LANGUAGE sql AS $$
    SELECT ROW(issue, CASE WHEN cardinality(words) <= 1000 THEN array_to_tsvector(words) ELSE '' END,
        cardinality(words) <= 1000)::issue_words
$$;

-- The statement's events' words added to their issues'. An issue that brings no new word is not
-- written (no new row version, no index entries), so the steady state of an issue costs a read.
-- The events of an issue that repeat one text (most do) are read once. The transition table's `search`
-- is NULL (PostgreSQL 15 leaves a generated column empty there when the partition's columns are laid out
-- unlike the parent's, as migration 21's dropped column makes them): each row's vector is read again
-- through the primary key, one probe per row (a join let the planner scan the whole partition for every
-- batch).
CREATE FUNCTION collect_issue_words() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO issue_words AS w (issue_id, words, complete)
    SELECT f.* FROM (SELECT d.issue_id, array_agg(DISTINCT word) AS words
            FROM (SELECT DISTINCT c.issue_id, (SELECT e.search FROM events e
                WHERE e.id = c.id AND e.received_ms = c.received_ms) AS search FROM changed_events c) d,
            unnest(event_words(d.search)) word
        GROUP BY d.issue_id) fresh CROSS JOIN issue_words_row(fresh.issue_id, fresh.words) f
    LEFT JOIN issue_words kept ON kept.issue_id = f.issue_id
    WHERE kept.issue_id IS NULL OR (kept.complete AND (NOT f.complete
        OR length(ts_delete(f.words, tsvector_to_array(kept.words))) > 0))
    ORDER BY f.issue_id
    ON CONFLICT (issue_id) DO UPDATE SET
        complete = EXCLUDED.complete AND length(w.words || EXCLUDED.words) <= 1000,
        words = CASE WHEN EXCLUDED.complete AND length(w.words || EXCLUDED.words) <= 1000
            THEN w.words || EXCLUDED.words ELSE w.words END
        WHERE w.complete;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_inserted_words AFTER INSERT ON events REFERENCING NEW TABLE AS changed_events
    FOR EACH STATEMENT EXECUTE FUNCTION collect_issue_words();
CREATE TRIGGER events_moved_words AFTER UPDATE ON events REFERENCING NEW TABLE AS changed_events
    FOR EACH STATEMENT EXECUTE FUNCTION collect_issue_words();

-- The events stored before this version.
INSERT INTO issue_words
SELECT f.* FROM (SELECT d.issue_id, array_agg(DISTINCT word) AS words
        FROM (SELECT DISTINCT issue_id, search FROM events) d, unnest(event_words(d.search)) word
    GROUP BY d.issue_id) stored, issue_words_row(stored.issue_id, stored.words) f;

-- Titles and culprits, which the list matches as substrings (ILIKE '%…%'), in a table of their own with
-- trigram indexes: on issues, those indexes would be written again by every update of the counters;
-- these rows change only with the title or culprit. pg_trgm ships with Debian's server package; where
-- it is missing or the migrating role may not add it, the table stays unindexed and is read whole.
CREATE TABLE issue_texts(
    issue_id bigint PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
    title text NOT NULL,
    culprit text NOT NULL
);
CREATE FUNCTION copy_issue_text() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO issue_texts AS t VALUES (NEW.id, NEW.title, NEW.culprit)
        ON CONFLICT (issue_id) DO UPDATE SET title = EXCLUDED.title, culprit = EXCLUDED.culprit;
    RETURN NULL;
END
$$;
CREATE TRIGGER issues_text_inserted AFTER INSERT ON issues FOR EACH ROW EXECUTE FUNCTION copy_issue_text();
CREATE TRIGGER issues_text_changed AFTER UPDATE OF title, culprit ON issues FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.culprit IS DISTINCT FROM NEW.culprit)
    EXECUTE FUNCTION copy_issue_text();
INSERT INTO issue_texts SELECT id, title, culprit FROM issues;
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX issue_texts_title ON issue_texts USING gin(title gin_trgm_ops);
        CREATE INDEX issue_texts_culprit ON issue_texts USING gin(culprit gin_trgm_ops);
    ELSE
        RAISE WARNING 'pg_trgm is not installed: the issue list reads every title for a text search';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE WARNING 'no trigram indexes for the issue list''s text search: %', SQLERRM;
END
$$;

-- Roles made by `faultline db roles` before this version read them as they read issues.
DO $$
DECLARE
    reader name;
BEGIN
    FOR reader IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
            WHERE table_name = 'issues' AND table_schema = current_schema() AND privilege_type = 'SELECT'
                AND grantee <> current_user LOOP
        EXECUTE format('GRANT SELECT ON issue_words, issue_texts TO %I', reader);
    END LOOP;
END
$$;
)sql";

// Version 23: an issue past the 1,000 words of issue_words (its events bring
// words of their own: tokens, tenants' names) is no longer checked by walking
// the events' GIN lists of the query's words, which for a common word hold
// most of the table and for the last word's prefix are read whole (a partial
// match): 330 ms for one phrase on a million events. Its words and pairs go,
// without a bound, into rows of their own (issue_word_overflow), found by one
// B-tree probe per query word (issue_overflow_matches()), so an incomplete
// issue is nominated as exactly as a complete one and then confirmed by one
// event. A row per word does not grow as a tsvector would (rewritten whole on
// every change). An issue that crosses the limit copies its kept words there
// too. The upsert now updates every row it conflicts with, so a batch that
// meets an issue another collector has just marked incomplete learns it
// (RETURNING) and adds its words to the overflow instead of losing them.
const char *const kIssueWordOverflow = R"sql(
CREATE TABLE issue_word_overflow(
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    word text COLLATE "C" NOT NULL, -- bytewise, so a prefix is a range of the primary key
    PRIMARY KEY (issue_id, word)
);

CREATE OR REPLACE FUNCTION collect_issue_words() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    WITH fresh AS MATERIALIZED (
        SELECT d.issue_id, array_agg(DISTINCT word) AS words
        FROM (SELECT DISTINCT c.issue_id, (SELECT e.search FROM events e
                WHERE e.id = c.id AND e.received_ms = c.received_ms) AS search FROM changed_events c) d,
            unnest(event_words(d.search)) word
        GROUP BY d.issue_id),
    written AS (
        INSERT INTO issue_words AS w (issue_id, words, complete)
        SELECT f.* FROM fresh CROSS JOIN issue_words_row(fresh.issue_id, fresh.words) f
        LEFT JOIN issue_words kept ON kept.issue_id = f.issue_id
        WHERE kept.issue_id IS NULL OR (kept.complete AND (NOT f.complete
            OR length(ts_delete(f.words, tsvector_to_array(kept.words))) > 0))
        ORDER BY f.issue_id
        ON CONFLICT (issue_id) DO UPDATE SET
            complete = w.complete AND EXCLUDED.complete AND length(w.words || EXCLUDED.words) <= 1000,
            words = CASE WHEN w.complete AND EXCLUDED.complete AND length(w.words || EXCLUDED.words) <= 1000
                THEN w.words || EXCLUDED.words ELSE w.words END
        RETURNING w.issue_id, w.complete)
    INSERT INTO issue_word_overflow (issue_id, word)
    SELECT o.issue_id, o.word
    FROM (SELECT fresh.issue_id, unnest(fresh.words
                || CASE WHEN kept.complete THEN tsvector_to_array(kept.words) ELSE '{}' END) AS word
        FROM fresh LEFT JOIN issue_words kept ON kept.issue_id = fresh.issue_id
            LEFT JOIN written ON written.issue_id = fresh.issue_id
        WHERE NOT written.complete OR (written.issue_id IS NULL AND NOT kept.complete)) o
    ORDER BY o.issue_id, o.word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- Whether an incomplete issue has every word of `query` (words and pairs, as the list's words query):
-- for each lexeme the first overflow row from it on, which is the lexeme itself when stored and
-- otherwise the first word it is a prefix of, if any.
CREATE FUNCTION issue_overflow_matches(issue bigint, query tsquery) RETURNS boolean
    STABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT coalesce(array_to_tsvector(array_agg(o.word)), '') @@ query
    FROM (SELECT DISTINCT m[1] COLLATE "C" AS lexeme FROM regexp_matches(query::text, '''([^'']*)''', 'g') m) t,
        LATERAL (SELECT o.word FROM issue_word_overflow o WHERE o.issue_id = issue AND o.word >= t.lexeme
            AND o.word < t.lexeme || chr(1114111) ORDER BY o.word LIMIT 1) o
$$;

-- The incomplete issues stored before this version.
INSERT INTO issue_word_overflow
SELECT DISTINCT d.issue_id, word
FROM (SELECT DISTINCT issue_id, search FROM events
        WHERE issue_id IN (SELECT issue_id FROM issue_words WHERE NOT complete)) d,
    unnest(event_words(d.search)) word;

-- Roles made by `faultline db roles` before this version read it as they read the words.
DO $$
DECLARE
    reader name;
BEGIN
    FOR reader IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
            WHERE table_name = 'issue_words' AND table_schema = current_schema() AND privilege_type = 'SELECT'
                AND grantee <> current_user LOOP
        EXECUTE format('GRANT SELECT ON issue_word_overflow TO %I', reader);
    END LOOP;
END
$$;
)sql";

// Version 24: the issue list's facet filters (environment:, release:, tag:)
// ask issue_facets for the issues that saw a value. With the issue id in the
// index they read the index alone (an index-only scan) instead of a row per
// issue scattered over the table's pages; it replaces the index it extends.
// Statistics over key and value together: each alone says little (every issue
// has an environment), so the planner took `tag:region=eu-west-1` for 3,800
// issues, not 32,000, and joined them all where walking the list in its order
// and checking each issue finds a page of 200 at once. At a million events:
// that count 129 → 29 ms, its first page 308 → 36 ms.
const char *const kIssueFacetsCovered = R"sql(
CREATE INDEX issue_facets_by_value_issue ON issue_facets(key, value, issue_id);
DROP INDEX issue_facets_by_value;
CREATE STATISTICS issue_facets_key_value (mcv) ON key, value FROM issue_facets;
ANALYZE issue_facets;
)sql";

// Version 25: an issue's words as rows, one per (word, issue), for every
// issue. The words of version 22 were one tsvector per issue, rewritten
// whole (every word entered into its GIN index again) whenever an event
// brought one new word, and worked out by the server for every stored event:
// that trigger was 230 of the server's 560 µs of CPU per event under the
// varied load, and kept durable ingest at 0.39× SQLite's rate. Now a new word
// is one row inserted and nothing is rewritten, the 1,000-word bound and its
// overflow rows go (every issue is kept as the overflow kept the wordy ones),
// and the batch writer, which knows the words of the ASCII events it stores
// (pg_event_words.cpp) and which it has handed each issue already, passes
// only new ones to add_issue_words(), telling the insert trigger to stand
// aside (faultline.words_from_writer). Other writes of events (moves, `db
// copy`) and the writer's events of other scripts are still read by the
// server, through the same function.
const char *const kIssueWordRows = R"sql(
CREATE TABLE issue_word_rows(
    word text COLLATE "C" NOT NULL, -- bytewise, so a prefix is a range of the primary key
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    PRIMARY KEY (word, issue_id)
);
CREATE INDEX issue_word_rows_issue ON issue_word_rows(issue_id, word); -- a word of an issue, its deletion
INSERT INTO issue_word_rows(word, issue_id)
SELECT word, issue_id FROM (SELECT unnest(tsvector_to_array(words)) AS word, issue_id FROM issue_words WHERE complete
        UNION SELECT word, issue_id FROM issue_word_overflow) kept
ORDER BY 1, 2;
DROP FUNCTION collect_issue_words() CASCADE;
DROP FUNCTION issue_overflow_matches(bigint, tsquery);
DROP FUNCTION issue_words_row(bigint, text[]);
DROP TABLE issue_word_overflow;
DROP TABLE issue_words;
ALTER TABLE issue_word_rows RENAME TO issue_words;
ALTER INDEX issue_word_rows_pkey RENAME TO issue_words_pkey;
ALTER INDEX issue_word_rows_issue RENAME TO issue_words_issue;
ALTER TABLE issue_words RENAME CONSTRAINT issue_word_rows_issue_id_fkey TO issue_words_issue_id_fkey;

-- `words` paired with `issues` (the writer's, ASCII events), and the words the server finds in the events
-- `event_rows` / `event_received` name (its parser's own classes), added where new. In (word, issue)
-- order, the order every writer takes them in, so two collectors adding the same words wait, not deadlock.
-- The events of an issue that repeat one text (most do) are read once.
CREATE FUNCTION add_issue_words(issues bigint[], words text[], event_rows bigint[], event_received bigint[])
    RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    INSERT INTO issue_words AS w (word, issue_id)
    SELECT fresh.word, fresh.issue_id
    FROM (SELECT g.word, g.issue_id FROM unnest(words, issues) AS g(word, issue_id)
        UNION
        SELECT found.word, d.issue_id
        FROM (SELECT DISTINCT e.issue_id, e.search FROM unnest(event_rows, event_received) AS r(id, received_ms)
                JOIN events e ON e.id = r.id AND e.received_ms = r.received_ms) d,
            unnest(event_words(d.search)) AS found(word)) fresh
    ORDER BY fresh.word COLLATE "C", fresh.issue_id
    ON CONFLICT DO NOTHING
$$;
-- Every other write of events; the batch writer adds its events' words itself.
CREATE FUNCTION collect_issue_words() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' AND current_setting('faultline.words_from_writer', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM add_issue_words('{}', '{}', array_agg(c.id), array_agg(c.received_ms)) FROM changed_events c;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_inserted_words AFTER INSERT ON events REFERENCING NEW TABLE AS changed_events
    FOR EACH STATEMENT EXECUTE FUNCTION collect_issue_words();
CREATE TRIGGER events_moved_words AFTER UPDATE ON events REFERENCING NEW TABLE AS changed_events
    FOR EACH STATEMENT EXECUTE FUNCTION collect_issue_words();

-- The issues that hold every lexeme of `query` (words and pairs, as the list's words query, whose
-- operators are all &): exactly, or from it on for a prefix (`:*`). A query without lexemes nominates
-- every issue. The lexeme with the fewest rows (counted up to 10,000) names the candidates, and each
-- is checked for the others through (issue_id, word): a phrase of two common words reads the few
-- issues of its pair, not the tens of thousands of each word. Planned for each search's own words
-- (a generic plan, made for any range, read the whole table for a word found nowhere).
CREATE FUNCTION issues_with_words(query tsquery) RETURNS SETOF bigint STABLE PARALLEL SAFE LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    firsts text[];
    lasts text[];
    rarest int;
BEGIN
    SELECT array_agg(lexeme), array_agg(last) INTO firsts, lasts
    FROM (SELECT DISTINCT m[1] AS lexeme, m[1] || CASE WHEN m[2] IS NULL THEN '' ELSE chr(1114111) END AS last
        FROM regexp_matches(query::text, '''([^'']*)''(:\*)?', 'g') m) terms;
    IF firsts IS NULL THEN
        RETURN QUERY SELECT i.id FROM issues i;
        RETURN;
    END IF;
    IF cardinality(firsts) = 1 THEN
        RETURN QUERY SELECT DISTINCT w.issue_id FROM issue_words w
        WHERE w.word >= firsts[1] COLLATE "C" AND w.word <= lasts[1] COLLATE "C";
        RETURN;
    END IF;
    SELECT t INTO rarest FROM generate_subscripts(firsts, 1) t
    ORDER BY (SELECT count(*) FROM (SELECT FROM issue_words w WHERE w.word >= firsts[t] COLLATE "C"
        AND w.word <= lasts[t] COLLATE "C" LIMIT 10000) counted)
    LIMIT 1;
    RETURN QUERY SELECT DISTINCT w.issue_id FROM issue_words w
    WHERE w.word >= firsts[rarest] COLLATE "C" AND w.word <= lasts[rarest] COLLATE "C"
        AND NOT EXISTS (SELECT FROM generate_subscripts(firsts, 1) t WHERE t <> rarest
            AND NOT EXISTS (SELECT FROM issue_words o WHERE o.issue_id = w.issue_id
                AND o.word >= firsts[t] COLLATE "C" AND o.word <= lasts[t] COLLATE "C"));
END
$$;

-- Roles made by `faultline db roles` before this version read it as they read issues.
DO $$
DECLARE
    reader name;
BEGIN
    FOR reader IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
            WHERE table_name = 'issues' AND table_schema = current_schema() AND privilege_type = 'SELECT'
                AND grantee <> current_user LOOP
        EXECUTE format('GRANT SELECT ON issue_words TO %I', reader);
    END LOOP;
END
$$;
ANALYZE issue_words;
)sql";

PgError schemaError(const QString &message) { return PgError { PgError::Kind::Schema, {}, message }; }

} // namespace

const QList<PgMigration> &postgresMigrations()
{
    static const QList<PgMigration> migrations
        = { { 19, kPostgresSchemaV19 }, { 20, kChangeNotifications }, { 21, kLocaleFreeSearch }, { 22, kIssueWords },
              { 23, kIssueWordOverflow }, { 24, kIssueFacetsCovered }, { 25, kIssueWordRows } };
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
