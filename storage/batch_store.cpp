#include "storage/batch_store.h"

#include "storage/batch_store_sqlite.h"
#include "storage/postgres/pg_event_store.h"
#include "storage/postgres/pg_uri.h"

#include <algorithm>

namespace faultline {

std::unique_ptr<BatchStore> openBatchStore(
    const QString &location, const WriterOptions &options, int stopFd, QString *error)
{
    if (isPostgresUri(location))
        return PgEventStore::open(location, stopFd, error);
    return SqliteBatchStore::open(location, options, error);
}

int writerLanesFor(const QString &location, const WriterOptions &options)
{
    return isPostgresUri(location) ? std::max(1, options.postgresLanes) : 1;
}

} // namespace faultline
