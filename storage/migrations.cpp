#include "storage/migrations.h"

#include "storage/migration_grouping_rules.h"

namespace faultline {

namespace {

// v1: everything the collector, the issue list and the CLI need.
// Times are epoch milliseconds. events.raw is the zstd-compressed original
// JSON (after scrubbing); the summary columns beside it exist for filtering
// and listing without decompressing.
const char *const kInitialSchema = R"sql(
CREATE TABLE projects(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);

CREATE TABLE issues(
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    culprit TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT 'error',
    status TEXT NOT NULL DEFAULT 'unresolved' CHECK (status IN ('unresolved', 'resolved', 'ignored')),
    regressed INTEGER NOT NULL DEFAULT 0,
    count INTEGER NOT NULL DEFAULT 0,
    first_seen_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    UNIQUE(project_id, fingerprint)
);
CREATE INDEX issues_by_project_status_last_seen ON issues(project_id, status, last_seen_ms);
CREATE INDEX issues_by_last_seen ON issues(last_seen_ms);
CREATE INDEX issues_by_count ON issues(count);
CREATE INDEX issues_by_first_seen ON issues(first_seen_ms);

-- event_id is unique per project (not globally): the same id sent to two
-- projects must not make one batch fail.
CREATE TABLE events(
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    timestamp_ms INTEGER NOT NULL,
    received_ms INTEGER NOT NULL,
    level TEXT NOT NULL DEFAULT 'error',
    title TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    exception_type TEXT NOT NULL DEFAULT '',
    exception_value TEXT NOT NULL DEFAULT '',
    exception_values TEXT NOT NULL DEFAULT '',
    culprit TEXT NOT NULL DEFAULT '',
    environment TEXT NOT NULL DEFAULT '',
    release TEXT NOT NULL DEFAULT '',
    platform TEXT NOT NULL DEFAULT '',
    has_locals INTEGER NOT NULL DEFAULT 0,
    http_status INTEGER NOT NULL DEFAULT 0,
    validation_fields TEXT NOT NULL DEFAULT '',
    raw BLOB NOT NULL,
    raw_size INTEGER NOT NULL,
    UNIQUE(project_id, event_id)
);
CREATE INDEX events_by_issue_received ON events(issue_id, received_ms);
CREATE INDEX events_by_project_received ON events(project_id, received_ms);
-- release:/environment: filters in the search bar.
CREATE INDEX events_by_release ON events(release);
CREATE INDEX events_by_environment ON events(environment);

CREATE TABLE event_tags(
    event_row INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX event_tags_by_key_value ON event_tags(key, value);
CREATE INDEX event_tags_by_event ON event_tags(event_row);

-- Services send the same error page again and again: store each body once.
CREATE TABLE attachment_blobs(
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE attachments(
    id INTEGER PRIMARY KEY,
    event_row INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    filename TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    attachment_type TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256)
);
CREATE INDEX attachments_by_event ON attachments(event_row);
CREATE INDEX attachments_by_sha256 ON attachments(sha256);

-- External-content FTS: the text lives once, in events; triggers keep the index in step.
CREATE VIRTUAL TABLE events_fts USING fts5(
    title, message, exception_values, culprit,
    content='events', content_rowid='id'
);
CREATE TRIGGER events_fts_after_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, title, message, exception_values, culprit)
    VALUES (new.id, new.title, new.message, new.exception_values, new.culprit);
END;
CREATE TRIGGER events_fts_after_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, message, exception_values, culprit)
    VALUES ('delete', old.id, old.title, old.message, old.exception_values, old.culprit);
END;

-- Events the SDKs dropped before sending (client_report discarded_events).
CREATE TABLE discarded(
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    category TEXT NOT NULL,
    quantity INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(project_id, reason, category)
);
)sql";

// v2: per-project limits. A project without a row gets
// ProjectSettings::defaults(), so projects created before this migration (and
// any created later without explicit limits) follow the defaults of the
// running version rather than values frozen at migration time.
const char *const kProjectSettings = R"sql(
CREATE TABLE project_settings(
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    max_age_days INTEGER NOT NULL CHECK (max_age_days >= 0),
    max_events INTEGER NOT NULL CHECK (max_events >= 0),
    events_per_minute INTEGER NOT NULL CHECK (events_per_minute >= 0)
);
)sql";

// v3: small facts the running app publishes for the CLI and other readers,
// e.g. the address the collector really listens on (for printed DSNs).
const char *const kAppState = R"sql(
CREATE TABLE app_state(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";

// v4: what each issue has seen, so the issue list filters by release:,
// environment: and tags through a few rows per issue instead of scanning
// their events (0.8 s over a million events before). The writer keeps it; it
// records "seen", so retention does not remove values. Plus indexes that let
// the detail header list an issue's releases/environments from the index alone.
const char *const kIssueFacets = R"sql(
CREATE TABLE issue_facets(
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    key TEXT NOT NULL, -- 'release', 'environment', or 'tag:' || the tag key
    value TEXT NOT NULL,
    PRIMARY KEY(issue_id, key, value)
) WITHOUT ROWID;
CREATE INDEX issue_facets_by_value ON issue_facets(key, value);
INSERT OR IGNORE INTO issue_facets
    SELECT issue_id, 'release', release FROM events WHERE release <> '';
INSERT OR IGNORE INTO issue_facets
    SELECT issue_id, 'environment', environment FROM events WHERE environment <> '';
INSERT OR IGNORE INTO issue_facets
    SELECT e.issue_id, 'tag:' || t.key, t.value FROM event_tags t JOIN events e ON e.id = t.event_row;
CREATE INDEX events_by_issue_release ON events(issue_id, release, received_ms);
CREATE INDEX events_by_issue_environment ON events(issue_id, environment, received_ms);
)sql";

// v5: two indexes cost the writer about a sixth of its time per event and
// served only `faultline events --query release:/environment:` across all
// issues; the issue list uses issue_facets, an issue's events the v4 indexes.
const char *const kLeanerEventIndexes = R"sql(
DROP INDEX events_by_release;
DROP INDEX events_by_environment;
)sql";

// v6: the search index no longer grows row by row inside every batch (a third
// of the writer's time at 32-event batches). The writer notes each new event
// in fts_pending and indexes the pending rows in bulk: in the same transaction
// when the queue is idle (so a quiet service's event is searchable at once),
// every couple of thousand events under load. An event deleted before it was
// indexed must not be "deleted" from the index, hence the guarded trigger.
const char *const kDeferredSearchIndex = R"sql(
CREATE TABLE fts_pending(event_row INTEGER PRIMARY KEY);
DROP TRIGGER events_fts_after_insert;
DROP TRIGGER events_fts_after_delete;
CREATE TRIGGER events_fts_after_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, message, exception_values, culprit)
        SELECT 'delete', old.id, old.title, old.message, old.exception_values, old.culprit
        WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE event_row = old.id);
    DELETE FROM fts_pending WHERE event_row = old.id;
END;
)sql";

// v7: free-text search matches events, and the issue list needs their issues.
// Reading issue_id through the table touches one 4 KB page per two or three
// events (the compressed JSON lives in the row); this index holds hundreds of
// (id, issue_id) pairs per page, in the order FTS5 returns rowids. Measured on
// a million events: 24k matches mapped to issues in 16 ms instead of 38 ms.
const char *const kEventIssueLookup = R"sql(
CREATE INDEX events_issue_by_row ON events(id, issue_id);
)sql";

// v8: free text finds an event by any frame of its stack, not only the
// culprit: the function, module and file of every frame go into
// events.frames (each distinct value once) and a fifth column of the search
// index. FTS5 cannot add a column, so the index is rebuilt from events; that
// also indexes the rows still waiting in fts_pending, which are then done.
// Events stored before this keep an empty `frames`.
const char *const kFrameSearch = R"sql(
ALTER TABLE events ADD COLUMN frames TEXT NOT NULL DEFAULT '';
DROP TRIGGER events_fts_after_delete;
DROP TABLE events_fts;
CREATE VIRTUAL TABLE events_fts USING fts5(
    title, message, exception_values, culprit, frames,
    content='events', content_rowid='id'
);
INSERT INTO events_fts(events_fts) VALUES('rebuild');
DELETE FROM fts_pending;
CREATE TRIGGER events_fts_after_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, message, exception_values, culprit, frames)
        SELECT 'delete', old.id, old.title, old.message, old.exception_values, old.culprit, old.frames
        WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE event_row = old.id);
    DELETE FROM fts_pending WHERE event_row = old.id;
END;
)sql";

// v9: error pages group by what stays the same between renderings (request
// ids, tokens, nonces, timestamps masked; see model/page_shape.h), not by
// their exact bytes, which never repeat. The shape belongs to the stored
// body; bodies of pages stored before are shaped here, others stay NULL.
// Kept in step with PageQueries::isPage.
const char *const kPageShapes = R"sql(
ALTER TABLE attachment_blobs ADD COLUMN shape TEXT;
UPDATE attachment_blobs SET shape = page_shape(data) WHERE sha256 IN (
    SELECT sha256 FROM attachments
    WHERE lower(trim(content_type)) = 'text/html' OR lower(trim(content_type)) LIKE 'text/html;%'
       OR lower(filename) LIKE '%.html' OR lower(filename) LIKE '%.htm');
)sql";

// v10: the developer's side of a project, edited in the window: where its
// frames live on this machine (source roots, "/srv/app/" → "~/src/shop") and
// the base URL its requests may be replayed against (no row = never replay).
const char *const kSourceRootsAndReplay = R"sql(
CREATE TABLE source_roots(
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    remote_prefix TEXT NOT NULL CHECK (remote_prefix <> ''),
    local_root TEXT NOT NULL CHECK (local_root <> ''),
    PRIMARY KEY(project_id, remote_prefix)
) WITHOUT ROWID;
CREATE TABLE replay_targets(
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    base_url TEXT NOT NULL CHECK (base_url <> '')
);
)sql";

// v11: alerts that reach people. A project's rules say when to tell whom
// (webhook URL or email recipients); every attempt to deliver one is a row
// the alert settings list, failures included. The SMTP server is the user's,
// one for all projects; its password is stored here in clear, so whoever can
// read the events can read it too (said in the settings dialog).
const char *const kAlerts = R"sql(
CREATE TABLE alert_rules(
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
    format TEXT NOT NULL DEFAULT 'json' CHECK (format IN ('slack', 'discord', 'json')),
    target TEXT NOT NULL,
    on_new_issue INTEGER NOT NULL DEFAULT 1,
    on_regression INTEGER NOT NULL DEFAULT 1,
    on_escalation INTEGER NOT NULL DEFAULT 0,
    min_level TEXT NOT NULL DEFAULT 'error',
    environment TEXT NOT NULL DEFAULT '',
    escalation_events INTEGER NOT NULL DEFAULT 100 CHECK (escalation_events > 0),
    escalation_minutes INTEGER NOT NULL DEFAULT 60 CHECK (escalation_minutes > 0),
    quiet_minutes INTEGER NOT NULL DEFAULT 30 CHECK (quiet_minutes >= 0),
    max_per_hour INTEGER NOT NULL DEFAULT 20 CHECK (max_per_hour >= 0)
);
CREATE INDEX alert_rules_by_project ON alert_rules(project_id);
CREATE TABLE alert_deliveries(
    id INTEGER PRIMARY KEY,
    rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    issue_id INTEGER REFERENCES issues(id) ON DELETE SET NULL,
    trigger TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'retrying', 'sent', 'failed', 'suppressed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_deliveries_by_rule_issue ON alert_deliveries(rule_id, issue_id, created_ms);
CREATE INDEX alert_deliveries_by_created ON alert_deliveries(created_ms);
CREATE TABLE smtp_server(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    host TEXT NOT NULL,
    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security TEXT NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL DEFAULT '',
    sender TEXT NOT NULL
);
)sql";

// v12: an issue sums up its events (tag distribution, users affected, events
// per release) from counters, not by reading its events: 100,000 events of
// one issue would take seconds to group. Each (issue, key, value) of v4 now
// counts its events and remembers when it was first and last seen; the writer
// adds a batch's counts in the same transaction. Keys besides v4's:
// 'derived:' || key for the tags Sentry derives (server_name, user, user.id…,
// browser, os, runtime, device; model/derived_tags.h). Events keep those in
// one column, so an issue's events can be filtered by them without a row per
// tag. Counts cover every event received; retention does not lower them.
const char *const kIssueTagCounts = R"sql(
ALTER TABLE issue_facets ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issue_facets ADD COLUMN first_seen_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issue_facets ADD COLUMN last_seen_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN derived_tags TEXT NOT NULL DEFAULT '';
INSERT OR REPLACE INTO issue_facets(issue_id, key, value, events, first_seen_ms, last_seen_ms)
    SELECT issue_id, 'release', release, count(*), min(received_ms), max(received_ms)
    FROM events WHERE release <> '' GROUP BY issue_id, release;
INSERT OR REPLACE INTO issue_facets(issue_id, key, value, events, first_seen_ms, last_seen_ms)
    SELECT issue_id, 'environment', environment, count(*), min(received_ms), max(received_ms)
    FROM events WHERE environment <> '' GROUP BY issue_id, environment;
INSERT OR REPLACE INTO issue_facets(issue_id, key, value, events, first_seen_ms, last_seen_ms)
    SELECT e.issue_id, 'tag:' || t.key, t.value, count(*), min(e.received_ms), max(e.received_ms)
    FROM event_tags t JOIN events e ON e.id = t.event_row GROUP BY e.issue_id, t.key, t.value;
)sql";

// v13: versioned grouping (#13). Every key that leads to an issue is a row
// here, as Sentry's GroupHash: the key of the strategy that created the
// issue, and keys of later strategies that found it through an older one
// (secondary grouping), so the next event with that key needs one lookup.
// `explanation` is what the strategy counted and ignored (JSON, see
// model/grouping_explanation.h); an event points at the key it was grouped by.
// Existing issues keep their v1 key. Title and culprit now follow the latest
// event; the first ones stay for history.
const char *const kGroupingKeys = R"sql(
CREATE TABLE grouping_keys(
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    strategy TEXT NOT NULL,
    explanation TEXT NOT NULL DEFAULT '',
    -- how the key came to this issue: 'created' it, 'v1' = matched it through the
    -- event's v1 key; later also 'merge'
    linked_by TEXT NOT NULL DEFAULT 'created',
    UNIQUE(project_id, hash)
);
CREATE INDEX grouping_keys_by_issue ON grouping_keys(issue_id);
INSERT INTO grouping_keys(project_id, hash, issue_id, strategy)
    SELECT project_id, fingerprint, id, 'v1' FROM issues;
ALTER TABLE events ADD COLUMN grouping_key_id INTEGER;
ALTER TABLE issues ADD COLUMN first_title TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN first_culprit TEXT NOT NULL DEFAULT '';
UPDATE issues SET first_title = title, first_culprit = culprit;
)sql";

// v14: dropped events over time (#17). What the collector refused, per
// project, reason and hour (project 0: none could be named), and the last
// example of each kind: its size, peer, request line, the exact answer and
// never more of the body than its first 256 bytes (storage/drop_log.h).
// SDKs' client-report counts get an hour too, so they show over time and
// retention prunes them by age; the counts from before had no time and are
// put in the hour of the migration.
const char *const kDroppedEvents = R"sql(
CREATE TABLE refusal_counts(
    project_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    hour INTEGER NOT NULL, -- Unix time in hours
    count INTEGER NOT NULL,
    PRIMARY KEY(project_id, reason, hour)
) WITHOUT ROWID;
CREATE INDEX refusal_counts_by_hour ON refusal_counts(hour);
CREATE TABLE refusal_examples(
    project_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    status INTEGER NOT NULL,
    size INTEGER NOT NULL,
    peer TEXT NOT NULL,
    request TEXT NOT NULL,
    head BLOB NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY(project_id, reason)
) WITHOUT ROWID;
CREATE TABLE discarded_by_hour(
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    category TEXT NOT NULL,
    hour INTEGER NOT NULL,
    quantity INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(project_id, reason, category, hour)
);
CREATE INDEX discarded_by_time ON discarded_by_hour(hour);
INSERT INTO discarded_by_hour(project_id, reason, category, hour, quantity)
    SELECT project_id, reason, category, CAST(strftime('%s', 'now') AS INTEGER) / 3600, quantity FROM discarded;
DROP TABLE discarded;
ALTER TABLE discarded_by_hour RENAME TO discarded;
)sql";

// v15: triage workflow (#14). How an issue is resolved or ignored, beyond its
// status: `substatus` says which condition holds ('' = plain; resolved:
// 'next_release'; ignored: 'for', 'until_events', 'until_escalating';
// unresolved: 'escalating' once an ignore ended because of volume). The
// writer evaluates the conditions on every event (storage/issue_status.h):
// resolved_after_release is the newest release seen when it was resolved,
// ignore_until_ms/ignore_until_count end an ignore by time or by count,
// ignore_baseline is the busiest hour of the week before it was ignored.
// `unhandled`: some event's exception mechanism said handled=false; issues
// stored before v15 get it with their next unhandled event.
const char *const kTriageWorkflow = R"sql(
ALTER TABLE issues ADD COLUMN substatus TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN resolved_after_release TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN ignore_until_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN ignore_until_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN ignore_baseline INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN unhandled INTEGER NOT NULL DEFAULT 0;
)sql";

// v16: a CA certificate (PEM file) the SMTP client trusts besides the system's,
// for a mail server with a self-signed or company certificate: verification
// stays on, the user names what to trust. '' = the system's CAs only.
const char *const kSmtpCaFile = R"sql(
ALTER TABLE smtp_server ADD COLUMN ca_file TEXT NOT NULL DEFAULT '';
)sql";

// v17: byte limits per project (#15, finding 5): attachment MiB accepted per
// hour (the collector drops attachments over it and keeps the event) and a
// stored size retention prunes the oldest events down to. NULL reads as the
// default (storage/project_settings.cpp), so existing rows need no update.
const char *const kByteLimits = R"sql(
ALTER TABLE project_settings ADD COLUMN attachment_mib_per_hour INTEGER CHECK (attachment_mib_per_hour >= 0);
ALTER TABLE project_settings ADD COLUMN max_stored_mib INTEGER CHECK (max_stored_mib >= 0);
)sql";

// v18: per-project scrub opt-outs (#15, finding 7): Relay's rule names,
// comma-separated, that the collector does not apply to this project's events
// and pages (a test project keeping test card numbers, say). NULL = none.
const char *const kScrubOptOuts = R"sql(
ALTER TABLE project_settings ADD COLUMN scrub_opt_outs TEXT;
)sql";

// v20: nothing on SQLite. PostgreSQL's v20 adds change notifications for the
// windows viewing a shared database (storage/postgres/pg_migrations.cpp); a
// SQLite file has one window and its own writer's signal. Kept so a version
// number means the same schema on both backends (`faultline db copy` checks it).
const char *const kPostgresChangeNotifications = "SELECT 1";

// v21: nothing on SQLite either: PostgreSQL's v21 makes its free-text search fold
// case and diacritics as FTS5 already does here.
const char *const kPostgresLocaleFreeSearch = "SELECT 1";

// v22: nothing on SQLite: PostgreSQL's v22 keeps each issue's words for the issue
// list's free text, which FTS5 already answers from its own index here.
const char *const kPostgresIssueWords = "SELECT 1";

// v23: nothing on SQLite: PostgreSQL's v23 keeps the words of an issue past that
// version's limit in rows of their own.
const char *const kPostgresIssueWordOverflow = "SELECT 1";

// v24: nothing on SQLite: PostgreSQL's v24 puts the issue id into the facets'
// value index, for index-only reads of a facet filter's issues (SQLite's facet
// filters were not slow: bench/triage/run).
const char *const kPostgresIssueFacetsCovered = "SELECT 1";

// v25: nothing on SQLite: PostgreSQL's v25 keeps each issue's words as rows, one per
// word, added by the collector that stores the events.
const char *const kPostgresIssueWordRows = "SELECT 1";

} // namespace

const QList<const char *> &schemaMigrations()
{
    static const QList<const char *> migrations = { kInitialSchema, kProjectSettings, kAppState, kIssueFacets,
        kLeanerEventIndexes, kDeferredSearchIndex, kEventIssueLookup, kFrameSearch, kPageShapes, kSourceRootsAndReplay,
        kAlerts, kIssueTagCounts, kGroupingKeys, kDroppedEvents, kTriageWorkflow, kSmtpCaFile, kByteLimits,
        kScrubOptOuts, kGroupingRulesMigration, kPostgresChangeNotifications, kPostgresLocaleFreeSearch,
        kPostgresIssueWords, kPostgresIssueWordOverflow, kPostgresIssueFacetsCovered, kPostgresIssueWordRows };
    return migrations;
}

} // namespace faultline
