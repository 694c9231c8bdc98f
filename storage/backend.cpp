#include "storage/backend.h"

#include "storage/postgres/pg_backend.h"
#include "storage/postgres/pg_uri.h"
#include "storage/sqlite_backend.h"

namespace faultline {

StorageResult<std::unique_ptr<StorageBackend>> openStorageBackend(const QString &location, BackendUse use, int stopFd)
{
    if (isPostgresUri(location))
        return PgBackend::open(location, use, stopFd);
    auto db = Database::openChecked(
        location, use == BackendUse::Read ? Database::Mode::ReadOnly : Database::Mode::ReadWrite);
    if (!db)
        return db.error();
    return std::unique_ptr<StorageBackend>(std::make_unique<SqliteBackend>(std::move(db).value()));
}

} // namespace faultline
