#pragma once
// Thread-safe lookup of projects and their keys for the HTTP threads, cached
// and refreshed from the database so projects added or keys rotated elsewhere
// (CLI, connect dialog, another collector) take effect within a second. The
// database is a SQLite file or a PostgreSQL URI: storage/backend.h opens it.
// When it cannot be read (a PostgreSQL server restarting), the projects known
// last stay in use: a collector keeps telling a right key from a wrong one, and
// answers "not stored" (503) rather than "wrong key" (403, which SDKs do not retry).
#include "storage/project_store.h"
#include "storage/stop_pipe.h"

#include <QHash>
#include <QString>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

namespace faultline {

class StorageBackend;

class ProjectDirectory {
public:
    explicit ProjectDirectory(QString location);
    ~ProjectDirectory();

    std::optional<Project> byId(qint64 projectId);
    std::optional<Project> byKey(const QString &publicKey);

    // Ends a PostgreSQL connect (host name look-up included) under way on an HTTP thread, which the
    // collector's stop would wait for, and fails later ones at once until start(). Any thread.
    void stop() { m_stopPipe.stop(); }
    void start() { m_stopPipe.reset(); }

private:
    void refreshIfStale(std::unique_lock<std::mutex> &lock, bool force);
    bool load(std::optional<qint64> anyKnown, QList<Project> *projects);

    QString m_location;
    StopPipe m_stopPipe;
    std::mutex m_mutex;
    std::condition_variable m_loadDone;
    bool m_loading = false; // one thread reads the database, with m_mutex released
    bool m_everLoaded = false;
    std::unique_ptr<StorageBackend> m_backend; // the loading thread's
    QHash<qint64, Project> m_byId;
    QHash<QString, qint64> m_idByKey;
    std::chrono::steady_clock::time_point m_loadedAt {};
};

} // namespace faultline
