#include "storage/sqlite_backend.h"

#include "storage/app_state.h"

namespace faultline {

SqliteBackend::SqliteBackend(std::unique_ptr<Database> db)
    : m_db(std::move(db))
    , m_projects(*m_db)
{
}

QString SqliteBackend::appState(const QString &key) const { return readAppState(*m_db, key); }

} // namespace faultline
