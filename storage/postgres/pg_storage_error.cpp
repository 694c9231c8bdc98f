#include "storage/postgres/pg_storage_error.h"

namespace faultline {

StorageError storageErrorFromPg(const PgError &error, const QString &what)
{
    using Kind = StorageError::Kind;
    const QString detail = what.isEmpty() ? error.message : QStringLiteral("%1: %2").arg(what, error.message);
    switch (error.kind) {
    case PgError::Kind::Conflict:
        return { Kind::Busy, detail };
    case PgError::Kind::Constraint:
        return { Kind::Constraint, detail };
    case PgError::Kind::Schema:
        return { Kind::Incompatible, detail };
    case PgError::Kind::Connection: // "could not connect to server…", "permission denied for table…":
    case PgError::Kind::Permission: // the server's own words say more than a kind's text would
    case PgError::Kind::Query:
        break;
    }
    return { Kind::Other, detail };
}

} // namespace faultline
