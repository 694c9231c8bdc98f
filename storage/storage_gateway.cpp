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

Database *StorageGateway::guiReader(StorageError *error)
{
    if (m_postgres && !m_guiReaderTried) {
        m_guiReaderTried = true;
        m_guiReaderError = StorageError::unsupported(QStringLiteral("no synchronous reads on PostgreSQL"));
    }
    if (!m_guiReader && !m_guiReaderTried) {
        m_guiReaderTried = true;
        StorageResult<std::unique_ptr<Database>> opened = Database::openChecked(m_dbPath, Database::Mode::ReadOnly);
        if (opened)
            m_guiReader = std::move(opened).value();
        else
            m_guiReaderError = opened.error();
    }
    if (!m_guiReader && error)
        *error = m_guiReaderError;
    return m_guiReader.get();
}

} // namespace faultline
