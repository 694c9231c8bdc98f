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

// Called with m_mutex held (`lock`). The database is read with the lock
// released: a PostgreSQL server that does not answer holds up the one request
// that reads (up to the connection timeout), not every HTTP thread. The others
// go on with the projects known, unless they need the answer of this read: the
// first one, or a miss.
void ProjectDirectory::refreshIfStale(std::unique_lock<std::mutex> &lock, bool force)
{
    if (m_loading) {
        if (force || !m_everLoaded)
            m_loadDone.wait(lock, [this] { return !m_loading; });
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - m_loadedAt < kMaxAge)
        return;
    // A miss (unknown id or key) forces a reload, but at most once per 100 ms so
    // a flood of bad keys cannot turn into a flood of queries.
    if (force && now - m_loadedAt < std::chrono::milliseconds(100))
        return;
    m_loading = true;
    m_loadedAt = now; // a failure too waits out the interval: no reconnect per request
    const std::optional<qint64> anyKnown
        = m_byId.isEmpty() ? std::nullopt : std::optional<qint64>(m_byId.constBegin().key());
    lock.unlock();
    QList<Project> projects;
    const bool loaded = load(anyKnown, &projects); // m_backend is the loading thread's alone
    lock.lock();
    m_loading = false;
    if (loaded) {
        m_everLoaded = true;
        m_byId.clear();
        m_idByKey.clear();
        for (const Project &project : projects) {
            m_byId.insert(project.id, project);
            m_idByKey.insert(project.publicKey, project.id);
        }
    }
    m_loadDone.notify_all();
}

bool ProjectDirectory::load(std::optional<qint64> anyKnown, QList<Project> *projects)
{
    if (!m_backend) {
        auto opened = openStorageBackend(m_location, BackendUse::Read, m_stopPipe.readEnd());
        if (!opened) {
            spdlog::error("collector: cannot read projects: {}", opened.error().detail.toStdString());
            return false;
        }
        m_backend = std::move(opened).value();
    }
    *projects = m_backend->projects().all();
    if (!projects->isEmpty() || !anyKnown)
        return true;
    // None at all, where there were some: deleted, or the read failed (all()
    // cannot say which). Asking for one known project tells them apart.
    const auto known = m_backend->projects().byId(*anyKnown);
    if (known || known.error().kind == StorageError::Kind::NotFound)
        return true;
    spdlog::warn("collector: cannot read projects ({}); keeping the ones known", known.error().detail.toStdString());
    m_backend.reset(); // a new connection next time
    return false;
}

std::optional<Project> ProjectDirectory::byId(qint64 projectId)
{
    std::unique_lock lock(m_mutex);
    refreshIfStale(lock, false);
    if (!m_byId.contains(projectId))
        refreshIfStale(lock, true);
    const auto it = m_byId.constFind(projectId);
    return it == m_byId.constEnd() ? std::nullopt : std::optional<Project>(*it);
}

std::optional<Project> ProjectDirectory::byKey(const QString &publicKey)
{
    std::unique_lock lock(m_mutex);
    refreshIfStale(lock, false);
    if (!m_idByKey.contains(publicKey))
        refreshIfStale(lock, true);
    const auto it = m_idByKey.constFind(publicKey);
    if (it == m_idByKey.constEnd())
        return std::nullopt;
    return m_byId.value(*it);
}

} // namespace faultline
