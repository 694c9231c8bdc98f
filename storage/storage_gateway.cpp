#include "storage/storage_gateway.h"

namespace faultline {

StorageGateway::StorageGateway(QString dbPath)
    : m_dbPath(std::move(dbPath))
    , m_reader(std::make_unique<ConnectionThread>(m_dbPath, Database::Mode::ReadOnly, QStringLiteral("storage reader")))
    , m_writer(
          std::make_unique<ConnectionThread>(m_dbPath, Database::Mode::ReadWrite, QStringLiteral("storage writer")))
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
