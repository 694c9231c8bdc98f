#pragma once
// One error convention for storage: what went wrong, as a kind the UI and the CLI
// turn into words, with SQLite's own message kept for the log. SQLite's result
// codes are mapped to kinds in one place (storageErrorFromSqlite).
#include "model/result.h"

#include <QString>

struct sqlite3;

namespace faultline {

struct StorageError {
    enum class Kind {
        Busy, // another connection holds the lock past the timeout
        Constraint, // a unique or foreign key says no (a project name that is taken)
        ReadOnly, // the file, its directory or the connection is read-only
        Full, // the disk is full
        Io, // reading or writing the file failed, or it cannot be opened
        Corrupt, // not a database, or a damaged one
        Incompatible, // a Faultline schema this version cannot use (too new, too old, none)
        NotFound, // the row asked for does not exist
        Stopped, // the storage gateway is shutting down
        Unsupported, // not available on this backend (yet): work written for SQLite, asked of PostgreSQL
        Other,
    };
    Kind kind = Kind::Other;
    QString detail; // SQLite's message or what failed, for the log

    static StorageError notFound(const QString &detail) { return { Kind::NotFound, detail }; }
    static StorageError stopped() { return { Kind::Stopped, QStringLiteral("storage is shutting down") }; }
    static StorageError unsupported(const QString &detail) { return { Kind::Unsupported, detail }; }
};

template<typename T> using StorageResult = Result<T, StorageError>;

// `code` is an (extended) SQLite result code; `detail` what SQLite said.
StorageError storageErrorFromSqlite(int code, const QString &detail);
// The last error on `db`, with `what` ("adding a project") in front of SQLite's message.
StorageError lastStorageError(sqlite3 *db, const QString &what = {});

// What the kind means for a person, e.g. "the database is busy: another program holds its
// lock". Callers that know better (a taken project name) say so themselves.
QString storageErrorText(const StorageError &error);

} // namespace faultline
