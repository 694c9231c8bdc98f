#pragma once
// The row-moving half of `faultline db copy` (pg_copy.h): which tables move,
// in which order, and how a table's rows go from a SQLite statement into
// PostgreSQL: by binary COPY where every column has a type it encodes
// (pg_binary_copy.h), else as a multi-row INSERT. Columns are those both schemas have (PostgreSQL's
// generated ones left out), so a table moves whole whatever the schema
// version, and a SQLite column PostgreSQL has no place for stops the copy
// before anything is lost.
#include "storage/postgres/pg_binary_copy.h"
#include "storage/postgres/pg_connection.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

struct sqlite3;

namespace faultline {

// One table the copy moves: what PostgreSQL calls it and how SQLite's rows are read.
struct CopiedTable {
    QString name;
    // Columns PostgreSQL has and SQLite's table lacks, taken from the event
    // the row belongs to (event_tags and attachments carry received_ms, the
    // partition key): then the source is joined to events as `e`.
    bool joinsEvent = false;
    // A condition on the rows ("" = all), on alias `t`; the same SQL on both
    // sides (constants of this build only), so the counts compare like with like.
    QString where = {};
};

// Everything but the events and what hangs from them, in foreign-key order:
// copied in one transaction before any event.
const QList<CopiedTable> &catalogTables();
// The chunked ones: bodies first (attachments point at them), then events and
// the rows of each chunk's events.
const CopiedTable &blobsTable();
const CopiedTable &eventsTable();
const CopiedTable &eventTagsTable();
const CopiedTable &attachmentsTable();
// Every table the counts are checked for at the end, event_ids included.
QStringList verifiedTables();

// A table's columns as both sides have them.
struct TableColumns {
    QString table;
    QStringList names;
    QList<bool> isBytea;
    QList<std::optional<PgCopyType>> copyTypes; // nullopt where binary COPY has no encoding here
    bool joinsEvent = false;
    QString where;
    bool viaInsert = false; // multi-row INSERT even where COPY could go (bench/pg_copy compares the two)

    bool copyable() const;
};

// Reads both schemas. Fails when SQLite has a column the PostgreSQL table lacks.
PgResult<TableColumns> tableColumns(sqlite3 *source, PgConnection &target, const CopiedTable &table);

// SQLite tables the copy knows: the copied ones, and those PostgreSQL does
// differently (the FTS5 index and its queue: a tsvector column there). Fails
// naming any other, so a table added later is not silently left behind.
PgStatus checkNothingLeftBehind(sqlite3 *source);

// Moves the rows `condition` selects (on alias `t`, with `binds`; appended to
// the table's own `where`), ordered by `orderBy`: by binary COPY when the
// columns are copyable(), else with INSERT … `conflictTail` (COPY has no
// ON CONFLICT: a `conflictTail` means INSERT). Returns how many rows were read.
PgResult<qint64> transferRows(sqlite3 *source, PgConnection &target, const TableColumns &columns,
    const QString &condition = {}, const QVariantList &binds = {}, const QString &orderBy = {},
    const QString &conflictTail = {});

// SELECT count(*) FROM table t [WHERE where] on either side.
PgResult<qint64> sourceCount(sqlite3 *source, const QString &table, const QString &where = {});
PgResult<qint64> targetCount(PgConnection &target, const QString &table, const QString &where = {});

} // namespace faultline
