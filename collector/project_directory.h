#pragma once
// Thread-safe lookup of projects and their keys for the HTTP threads, cached
// and refreshed from the database so projects added or keys rotated elsewhere
// (CLI, connect dialog) take effect within a second.
#include "storage/project_store.h"

#include <QHash>
#include <QString>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace faultline {

class Database;

class ProjectDirectory {
public:
    explicit ProjectDirectory(QString dbPath);
    ~ProjectDirectory();

    std::optional<Project> byId(qint64 projectId);
    std::optional<Project> byKey(const QString &publicKey);

private:
    void refreshIfStale(bool force);

    QString m_dbPath;
    std::mutex m_mutex;
    std::unique_ptr<Database> m_db;
    QHash<qint64, Project> m_byId;
    QHash<QString, qint64> m_idByKey;
    std::chrono::steady_clock::time_point m_loadedAt {};
};

} // namespace faultline
