#pragma once
// One thread that owns one storage connection (a StorageBackend: a SQLite file
// or a PostgreSQL database) and runs the tasks posted to it in order. The
// connection opens on the thread at the first task (a read-write one may
// migrate, which must not happen on the GUI thread; a PostgreSQL one may wait
// for the network), and again at the next task when opening failed. stop()
// runs what is queued, then closes and joins; a PostgreSQL connect or host name
// look-up under way then gives up, and the tasks left run with its error
// rather than each wait for the network.
#include "storage/backend.h"
#include "storage/stop_pipe.h"

#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace faultline {

class ConnectionThread {
public:
    // Runs on the thread with the open connection, or with null and why it did not open.
    using Task = std::function<void(StorageBackend *backend, const StorageError &openError)>;

    // `location`: a file path or a postgresql:// URI (storage/backend.h).
    ConnectionThread(QString location, BackendUse use, const QString &threadName);
    ~ConnectionThread(); // stop()
    ConnectionThread(const ConnectionThread &) = delete;
    ConnectionThread &operator=(const ConnectionThread &) = delete;

    // False once stop() began: the task did not run and never will.
    bool post(Task task);
    void stop();
    bool isCurrentThread() const; // for asserting who runs a task

private:
    void run();

    const QString m_location;
    const BackendUse m_use;
    std::unique_ptr<StorageBackend> m_backend; // touched on the thread only
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Task> m_tasks;
    bool m_stopping = false;
    StopPipe m_stopPipe; // m_stopping's twin for the connect (storage/stop_pipe.h)
    std::unique_ptr<QThread> m_thread;
};

} // namespace faultline
