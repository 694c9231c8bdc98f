#include "storage/connection_thread.h"

#include <QThread>

#include <spdlog/spdlog.h>

namespace faultline {

ConnectionThread::ConnectionThread(QString location, BackendUse use, const QString &threadName)
    : m_location(std::move(location))
    , m_use(use)
    , m_thread(QThread::create([this] { run(); }))
{
    m_thread->setObjectName(threadName);
    m_thread->start();
}

ConnectionThread::~ConnectionThread() { stop(); }

bool ConnectionThread::post(Task task)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_stopping)
            return false;
        m_tasks.push_back(std::move(task));
    }
    m_wake.notify_one();
    return true;
}

void ConnectionThread::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_stopPipe.stop();
    if (m_thread && !m_thread->isFinished() && QThread::currentThread() != m_thread.get())
        m_thread->wait();
}

bool ConnectionThread::isCurrentThread() const { return QThread::currentThread() == m_thread.get(); }

void ConnectionThread::run()
{
    // A server that is down fails every task until it is back: said once, not once per task.
    QString failingSince;
    for (;;) {
        Task task;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
            if (m_tasks.empty())
                break; // stopping, and everything queued before has run
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        StorageError openError;
        if (m_backend && m_backend->isConnectionLost()) {
            spdlog::info("{}: the connection to {} was lost; opening a new one", m_thread->objectName().toStdString(),
                m_backend->displayName().toStdString());
            m_backend.reset();
        }
        if (!m_backend) {
            StorageResult<std::unique_ptr<StorageBackend>> opened
                = openStorageBackend(m_location, m_use, m_stopPipe.readEnd());
            if (opened) {
                m_backend = std::move(opened).value();
                if (!failingSince.isEmpty())
                    spdlog::info("{}: the database answers again", m_thread->objectName().toStdString());
                failingSince.clear();
            } else {
                openError = opened.error();
                if (openError.detail != failingSince)
                    spdlog::error("{}: cannot open the database: {}", m_thread->objectName().toStdString(),
                        openError.detail.toStdString());
                failingSince = openError.detail;
            }
        }
        task(m_backend.get(), openError);
    }
    m_backend.reset(); // closed on the thread that used it
}

} // namespace faultline
