#pragma once
// Per-project settings for working on the code: source roots (where frames
// live on this machine) and the base URL requests may be replayed against.
// Shared by everyone on the database, as the issues are (#18): a team usually
// checks its code out under the same `~/…` path, and the replay target is the
// same staging server for all.
#include "model/source_mapping.h"

#include <QList>
#include <QString>

namespace faultline {

class Database;

// One implementation per backend: ProjectToolsStore here (SQLite),
// PgProjectTools (storage/postgres/pg_project_tools.h); StorageBackend::projectTools().
class ProjectToolSettings {
public:
    virtual ~ProjectToolSettings() = default;

    // Longest prefix first, as mapToLocal() tries them. Empty (and logged) when reading fails.
    virtual QList<SourceRoot> sourceRoots(qint64 projectId) const = 0;
    // Replaces the project's roots in one transaction; false and *error when the database refuses.
    virtual bool setSourceRoots(qint64 projectId, const QList<SourceRoot> &roots, QString *error = nullptr) = 0;

    // Empty = replay is off for the project.
    virtual QString replayBaseUrl(qint64 projectId) const = 0;
    virtual bool setReplayBaseUrl(qint64 projectId, const QString &baseUrl, QString *error = nullptr) = 0;

protected:
    ProjectToolSettings() = default;
    ProjectToolSettings(const ProjectToolSettings &) = default;
    ProjectToolSettings &operator=(const ProjectToolSettings &) = default;
};

class ProjectToolsStore : public ProjectToolSettings {
public:
    explicit ProjectToolsStore(Database &db)
        : m_db(db)
    {
    }

    QList<SourceRoot> sourceRoots(qint64 projectId) const override;
    bool setSourceRoots(qint64 projectId, const QList<SourceRoot> &roots, QString *error = nullptr) override;
    QString replayBaseUrl(qint64 projectId) const override;
    bool setReplayBaseUrl(qint64 projectId, const QString &baseUrl, QString *error = nullptr) override;

private:
    Database &m_db;
};

} // namespace faultline
