#include "collector/project_directory.h"

#include "storage/backend.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {
constexpr auto kMaxAge = std::chrono::seconds(1);
}

ProjectDirectory::ProjectDirectory(QString location)
    : m_location(std::move(location))
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
    QList<Project> projects;
    m_loadedAt = now; // a failure too waits out the interval: no reconnect per request
    if (!load(&projects))
        return;
    m_byId.clear();
    m_idByKey.clear();
    for (const Project &project : projects) {
        m_byId.insert(project.id, project);
        m_idByKey.insert(project.publicKey, project.id);
    }
}

bool ProjectDirectory::load(QList<Project> *projects)
{
    if (!m_backend) {
        auto opened = openStorageBackend(m_location, BackendUse::Read);
        if (!opened) {
            spdlog::error("collector: cannot read projects: {}", opened.error().detail.toStdString());
            return false;
        }
        m_backend = std::move(opened).value();
    }
    *projects = m_backend->projects().all();
    if (!projects->isEmpty() || m_byId.isEmpty())
        return true;
    // None at all, where there were some: deleted, or the read failed (all()
    // cannot say which). Asking for one known project tells them apart.
    const auto known = m_backend->projects().byId(m_byId.constBegin().key());
    if (known || known.error().kind == StorageError::Kind::NotFound)
        return true;
    spdlog::warn("collector: cannot read projects ({}); keeping the {} known", known.error().detail.toStdString(),
        m_byId.size());
    m_backend.reset(); // a new connection next time
    return false;
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
