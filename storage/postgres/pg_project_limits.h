#pragma once
// Per-project limits on PostgreSQL (#18): ProjectLimitStore
// (storage/store_readers.h) on the same project_settings table as SQLite's
// ProjectSettingsStore, with the same defaults for projects nobody set.
#include "storage/store_readers.h"

namespace faultline {

class PgConnection;

class PgProjectLimits : public ProjectLimitStore {
public:
    explicit PgProjectLimits(PgConnection &connection)
        : m_connection(connection)
    {
    }

    StorageResult<ProjectSettings> get(qint64 projectId) const override;
    StorageResult<void> set(const ProjectSettings &settings) override;
    QList<ProjectSettings> all() const override;

private:
    // Every project (or one), defaults filled in.
    StorageResult<QList<ProjectSettings>> read(qint64 onlyProjectId) const;

    PgConnection &m_connection;
};

} // namespace faultline
