#pragma once
// The SQLite implementation of storage/backend.h: one Database connection and
// the readers over it.
#include "storage/backend.h"
#include "storage/database.h"
#include "storage/project_store.h"

namespace faultline {

class SqliteBackend : public StorageBackend {
public:
    explicit SqliteBackend(std::unique_ptr<Database> db);

    QString displayName() const override { return m_db->path(); }
    ProjectCatalog &projects() override { return m_projects; }
    QString appState(const QString &key) const override;

    Database &database() { return *m_db; }

private:
    std::unique_ptr<Database> m_db;
    ProjectStore m_projects;
};

} // namespace faultline
