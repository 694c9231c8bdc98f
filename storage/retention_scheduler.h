#pragma once
// Runs Retention for every project off the GUI thread: once shortly after
// start, then every few minutes, reading the projects' limits afresh each time
// (so `faultline projects limits` takes effect on the next run).
#include "storage/retention.h"
#include "storage/stop_pipe.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <chrono>

namespace faultline {

struct RetentionSchedule {
    std::chrono::milliseconds firstRun = std::chrono::seconds(30); // after start(); leaves start-up alone
    std::chrono::milliseconds interval = std::chrono::minutes(10);
};

class RetentionScheduler : public QObject {
    Q_OBJECT
public:
    explicit RetentionScheduler(const QString &dbPath, RetentionSchedule schedule = {}, QObject *parent = nullptr);
    ~RetentionScheduler() override; // cancels a running prune and waits for it

    void start();
    void stop(); // no more runs; cancels a running one (on PostgreSQL also its connect) and waits for it
    // Starts a run now (also without start()); false when one is running already.
    bool runNow();
    bool isRunning() const;

signals:
    // Emitted on this object's thread. total grows when the writer adds
    // events during the run; done == total at the end.
    void progress(qint64 done, qint64 total);
    void finished(const faultline::PruneReport &report);

private:
    void onRunFinished();

    QString m_dbPath;
    RetentionSchedule m_schedule;
    QTimer m_timer;
    QThreadPool m_pool; // one thread: runs never overlap, and never hold a shared pool's thread
    QFutureWatcher<PruneReport> m_watcher;
    std::atomic_bool m_cancel = false;
    StopPipe m_stopPipe; // m_cancel's twin for a PostgreSQL connect (storage/stop_pipe.h)
};

} // namespace faultline
