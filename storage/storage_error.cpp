#include "storage/storage_error.h"

#include <QCoreApplication>

#include <sqlite3.h>

namespace faultline {

StorageError storageErrorFromSqlite(int code, const QString &detail)
{
    using Kind = StorageError::Kind;
    switch (code & 0xff) { // the primary code of an extended one
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return { Kind::Busy, detail };
    case SQLITE_CONSTRAINT:
        return { Kind::Constraint, detail };
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return { Kind::ReadOnly, detail };
    case SQLITE_FULL:
        return { Kind::Full, detail };
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOLFS:
        return { Kind::Io, detail };
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return { Kind::Corrupt, detail };
    case SQLITE_NOTFOUND:
        return { Kind::NotFound, detail };
    default:
        return { Kind::Other, detail };
    }
}

StorageError lastStorageError(sqlite3 *db, const QString &what)
{
    const QString message = QString::fromUtf8(sqlite3_errmsg(db));
    return storageErrorFromSqlite(
        sqlite3_extended_errcode(db), what.isEmpty() ? message : QStringLiteral("%1: %2").arg(what, message));
}

QString storageErrorText(const StorageError &error)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("StorageError", text); };
    switch (error.kind) {
    case StorageError::Kind::Busy:
        return tr("the database is busy: another program holds its lock; try again");
    case StorageError::Kind::Constraint:
        return tr("the change conflicts with what is stored");
    case StorageError::Kind::ReadOnly:
        return tr("the database is read-only");
    case StorageError::Kind::Full:
        return tr("the disk is full");
    case StorageError::Kind::Io:
        return tr("the database file cannot be read or written");
    case StorageError::Kind::Corrupt:
        return tr("the database file is damaged");
    case StorageError::Kind::Incompatible:
        return error.detail;
    case StorageError::Kind::NotFound:
        return tr("it does not exist (any more)");
    case StorageError::Kind::Stopped:
        return tr("Faultline is shutting down");
    case StorageError::Kind::Unsupported:
        return tr("not available on this database yet (%1)").arg(error.detail);
    case StorageError::Kind::Other:
        break;
    }
    return error.detail.isEmpty() ? tr("the database failed") : error.detail;
}

} // namespace faultline
