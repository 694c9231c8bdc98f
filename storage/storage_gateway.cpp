#include "storage/storage_gateway.h"

#include "storage/postgres/pg_uri.h"

namespace faultline {

StorageGateway::StorageGateway(QString location)
    : m_dbPath(std::move(location))
    , m_postgres(isPostgresUri(m_dbPath))
    , m_reader(std::make_unique<ConnectionThread>(m_dbPath, BackendUse::Read, QStringLiteral("storage reader")))
    // SQLite's read-write open creates and migrates a new file, as the app always did; on
    // PostgreSQL a viewer's role may not create tables, so the schema is the collectors' to bring.
    , m_writer(std::make_unique<ConnectionThread>(m_dbPath, BackendUse::Write, QStringLiteral("storage writer")))
{
}

StorageGateway::~StorageGateway() { stop(); }

void StorageGateway::stop()
{
    // Writes first: what the user asked for lands before anything else stops.
    m_writer->stop();
    m_reader->stop();
}

} // namespace faultline
