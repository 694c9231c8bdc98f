#pragma once
// The database and its log hold DSN keys and event data: only their owner may
// read them. And SQLite maps the "-shm" file of a WAL database into memory: if
// that file exists but cannot be written (made immutable, owned by another
// user), the first write through the mapping kills the process with SIGBUS.
// Both are checked once, at start, with a clear word instead.
#include <QString>
#include <QStringList>

namespace faultline {

// Sets 0600 on the database, its -wal/-shm and the log files beside it, and
// 0700 on `privateDirectory` when given (the default data directory; a
// directory the user chose is theirs to open up). Returns one line per change,
// for the log, e.g. "tightened /x/faultline.db from 0644 to 0600".
QStringList tightenDataFiles(const QString &dbPath, const QString &privateDirectory = {});

// Empty when the database's -shm file is absent or writable; otherwise why not,
// with what to do about it.
QString sharedMemoryFileProblem(const QString &dbPath);

} // namespace faultline
