#pragma once
// Per-project settings for working on the code: source roots (where frames
// live on this machine) and the base URL requests may be replayed against.
#include "model/source_mapping.h"

#include <QList>
#include <QString>

namespace faultline {

class Database;

class ProjectToolsStore {
public:
    explicit ProjectToolsStore(Database &db)
        : m_db(db)
    {
    }

    // Longest prefix first, as mapToLocal() tries them.
    QList<SourceRoot> sourceRoots(qint64 projectId) const;
    // Replaces the project's roots; false and *error when the database refuses.
    bool setSourceRoots(qint64 projectId, const QList<SourceRoot> &roots, QString *error = nullptr);

    // Empty = replay is off for the project.
    QString replayBaseUrl(qint64 projectId) const;
    bool setReplayBaseUrl(qint64 projectId, const QString &baseUrl, QString *error = nullptr);

private:
    Database &m_db;
};

} // namespace faultline
