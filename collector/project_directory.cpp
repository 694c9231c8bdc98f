#include "collector/project_directory.h"

#include "storage/database.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {
constexpr auto kMaxAge = std::chrono::seconds(1);
}

ProjectDirectory::ProjectDirectory(QString dbPath)
    : m_dbPath(std::move(dbPath))
{
}
ProjectDirectory::~ProjectDirectory() = default;

void ProjectDirectory::refreshIfStale(bool force)
{
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - m_loadedAt < kMaxAge)
        return;
    // A miss (unknown id or key) forces a reload, but at most once per 100 ms so
    // a flood of bad keys cannot turn into a flood of queries.
    if (force && now - m_loadedAt < std::chrono::milliseconds(100))
        return;
    if (!m_db) {
        QString error;
        m_db = Database::open(m_dbPath, Database::Mode::ReadOnly, &error);
        if (!m_db) {
            spdlog::error("collector: cannot read projects from {}: {}", m_dbPath.toStdString(), error.toStdString());
            return;
        }
    }
    m_byId.clear();
    m_idByKey.clear();
    for (const Project &project : ProjectStore(*m_db).all()) {
        m_byId.insert(project.id, project);
        m_idByKey.insert(project.publicKey, project.id);
    }
    m_loadedAt = now;
}

std::optional<Project> ProjectDirectory::byId(qint64 projectId)
{
    std::lock_guard lock(m_mutex);
    refreshIfStale(false);
    if (!m_byId.contains(projectId))
        refreshIfStale(true);
    const auto it = m_byId.constFind(projectId);
    return it == m_byId.constEnd() ? std::nullopt : std::optional<Project>(*it);
}

std::optional<Project> ProjectDirectory::byKey(const QString &publicKey)
{
    std::lock_guard lock(m_mutex);
    refreshIfStale(false);
    if (!m_idByKey.contains(publicKey))
        refreshIfStale(true);
    const auto it = m_idByKey.constFind(publicKey);
    if (it == m_idByKey.constEnd())
        return std::nullopt;
    return m_byId.value(*it);
}

} // namespace faultline
