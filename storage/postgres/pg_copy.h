#pragma once
// Moving a solo SQLite database into PostgreSQL (#18, `faultline db copy`):
// every project (with its keys, so DSNs keep working), issue, grouping key and
// rule, event with its tags and attachments, page, setting and alert rule,
// under the ids it had (faultline://issue/N links keep working), then every
// sequence set past the copied ids.
//
// Resumable: the catalog (everything but events and attachment bodies) goes
// in one transaction; bodies and events follow in chunks, each committed
// together with a progress marker (app_state 'db_copy': which source, which
// phase, the last key copied). A copy that was killed resumes after the last
// committed chunk, without duplicates. The target must be empty, or hold this
// same source's unfinished (or finished) copy: the marker names the source by
// a fingerprint of its projects' ids and keys.
//
// Rows go by binary COPY (pg_copy_tables.h). COPY has no ON CONFLICT, and
// needs none: a chunk's rows commit with the marker that says they are there,
// so a resumed copy starts after them and never meets a row twice.
#include "storage/postgres/pg_connection.h"

#include <QList>
#include <QString>

#include <functional>

namespace faultline {

class Database;

struct PgCopyOptions {
    int eventsPerChunk = 5000;
    int blobsPerChunk = 200; // attachment bodies (pages) are larger than events
    // 0: to the end. Otherwise stop after this many committed chunks, as a
    // killed copy would: for trying out (and testing) a resume.
    int stopAfterChunks = 0;
    // Rows as multi-row INSERTs instead of binary COPY, as the copy did before
    // (bench/pg_copy measures the two on the same data).
    bool viaInsert = false;
};

struct PgCopyProgress {
    QString phase; // "catalog", "attachment bodies", "events", "verifying"
    qint64 done = 0;
    qint64 total = 0;
};
using PgCopyProgressFunction = std::function<void(const PgCopyProgress &)>;

struct PgTableCount {
    QString table;
    qint64 source = 0;
    qint64 target = 0;
    bool matches() const { return source == target; }
};

struct PgCopyReport {
    bool resumed = false; // an earlier run had started (or finished) this copy
    bool stopped = false; // stopAfterChunks ended it: run again to finish
    qint64 eventsCopied = 0; // by this run
    qint64 rawBytesCopied = 0; // compressed event bodies moved by this run
    QList<PgTableCount> counts; // per table at the end (empty when stopped)
    bool countsMatch() const;
};

// Migrates `target` first. `source` must be at the schema version this build's
// PostgreSQL schema has (open it with this Faultline once to migrate it), and
// should not be written meanwhile (quit Faultline, or copy a backup).
PgResult<PgCopyReport> copySqliteToPostgres(Database &source, PgConnection &target, const PgCopyOptions &options = {},
    const PgCopyProgressFunction &progress = {});

} // namespace faultline
