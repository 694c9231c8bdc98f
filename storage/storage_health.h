#pragma once
// Whether the database can take events: checked at start (a bounded
// quick_check, and whether the file is writable) and after every commit, so
// /health, the log and the window can say "corrupt" or "read-only" instead of
// "healthy" while every write fails.
#include <QString>
#include <QStringList>

struct sqlite3;

namespace faultline {

// Unavailable: the database server cannot be reached (PostgreSQL); the writer
// reconnects with back-off and new events are refused at once meanwhile.
enum class StorageState { Ok, ReadOnly, Corrupt, DiskFull, Failing, Unavailable };

// "ok", "read-only", "corrupt", "disk full", "failing", "unavailable": the /health words.
QString storageStateName(StorageState state);

// The state in a phrase for a person ("the database is damaged; `faultline db check` says
// how to recover it"); empty for Ok.
QString storageProblem(StorageState state);

// What a failed write's SQLite result code says about the storage.
StorageState storageStateOf(int sqliteCode);

struct IntegrityReport {
    bool complete = true; // false when the time bound cut the check short
    QStringList problems; // empty: nothing wrong found
};

// PRAGMA quick_check (or the full integrity_check), given at most `maxMs`
// milliseconds (0 = no bound) and reporting at most `maxProblems`.
IntegrityReport checkIntegrity(sqlite3 *db, bool full, int maxMs, int maxProblems = 20);

// Whether this connection can write the main database.
bool isReadOnly(sqlite3 *db);

} // namespace faultline
