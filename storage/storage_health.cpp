#include "storage/storage_health.h"

#include "storage/statement.h"

#include <QElapsedTimer>

#include <sqlite3.h>

namespace faultline {

QString storageStateName(StorageState state)
{
    switch (state) {
    case StorageState::Ok:
        return QStringLiteral("ok");
    case StorageState::ReadOnly:
        return QStringLiteral("read-only");
    case StorageState::Corrupt:
        return QStringLiteral("corrupt");
    case StorageState::DiskFull:
        return QStringLiteral("disk full");
    case StorageState::Unavailable:
        return QStringLiteral("unavailable");
    case StorageState::Failing:
        break;
    }
    return QStringLiteral("failing");
}

QString storageProblem(StorageState state)
{
    switch (state) {
    case StorageState::Ok:
        return {};
    case StorageState::ReadOnly:
        return QStringLiteral("the database is read-only (check its file and directory permissions and the disk)");
    case StorageState::Corrupt:
        return QStringLiteral("the database is damaged; quit Faultline and run `faultline db check` to see how to "
                              "recover it");
    case StorageState::DiskFull:
        return QStringLiteral("the disk holding the database is full");
    case StorageState::Unavailable:
        return QStringLiteral("the database server cannot be reached; reconnecting");
    case StorageState::Failing:
        break;
    }
    return QStringLiteral("the database fails to store events (the log says why)");
}

StorageState storageStateOf(int sqliteCode)
{
    switch (sqliteCode & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_BUSY: // contention passes; it says nothing about the file
    case SQLITE_LOCKED:
        return StorageState::Ok;
    case SQLITE_READONLY:
        return StorageState::ReadOnly;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return StorageState::Corrupt;
    case SQLITE_FULL:
        return StorageState::DiskFull;
    default:
        return StorageState::Failing;
    }
}

namespace {

int stopAfterDeadline(void *timer)
{
    const auto *bound = static_cast<const std::pair<QElapsedTimer, int> *>(timer);
    return bound->first.elapsed() > bound->second ? 1 : 0;
}

} // namespace

IntegrityReport checkIntegrity(sqlite3 *db, bool full, int maxMs, int maxProblems)
{
    IntegrityReport report;
    std::pair<QElapsedTimer, int> bound;
    bound.first.start();
    bound.second = maxMs;
    if (maxMs > 0)
        sqlite3_progress_handler(db, 10000, &stopAfterDeadline, &bound);
    {
        // The count is our own integer; PRAGMA takes no bound parameters.
        Statement check(db,
            QStringLiteral("PRAGMA %1(%2)")
                .arg(full ? QStringLiteral("integrity_check") : QStringLiteral("quick_check"))
                .arg(maxProblems));
        while (check.step()) {
            const QString line = check.text(0);
            if (line != QLatin1String("ok"))
                report.problems.append(line);
        }
        const QString error = check.error();
        if (sqlite3_errcode(db) == SQLITE_INTERRUPT)
            report.complete = false;
        else if (!error.isEmpty())
            report.problems.append(error);
    }
    if (maxMs > 0)
        sqlite3_progress_handler(db, 0, nullptr, nullptr);
    return report;
}

bool isReadOnly(sqlite3 *db) { return sqlite3_db_readonly(db, "main") == 1; }

} // namespace faultline
