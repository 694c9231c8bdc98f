#include "storage/sqlite_backend.h"

#include "storage/app_state.h"

namespace faultline {

SqliteBackend::SqliteBackend(std::unique_ptr<Database> db)
    : m_db(std::move(db))
    , m_projects(*m_db)
    , m_issues(*m_db)
    , m_events(*m_db)
    , m_statuses(*m_db)
    , m_merger(*m_db)
    , m_limits(*m_db)
    , m_pages(*m_db)
    , m_groupingRules(*m_db)
    , m_alerts(*m_db)
    , m_activity(*m_db)
    , m_tools(*m_db)
{
}

QString SqliteBackend::appState(const QString &key) const { return readAppState(*m_db, key); }

StorageResult<void> SqliteBackend::setAppState(const QString &key, const QString &value)
{
    QString error;
    if (!writeAppState(*m_db, key, value, &error))
        return lastStorageError(m_db->handle(), QStringLiteral("storing %1").arg(key));
    return {};
}

} // namespace faultline
