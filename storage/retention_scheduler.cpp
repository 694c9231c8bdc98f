#include "storage/retention_scheduler.h"

#include "storage/database.h"
#include "storage/dropped_events.h"
#include "storage/postgres/pg_retention.h"
#include "storage/postgres/pg_uri.h"
#include "storage/project_settings.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

constexpr qint64 kProgressIntervalMs = 100; // a status bar needs no more

// PostgreSQL drops expired months whole (storage/postgres/pg_retention.h)
// and deletes what is over a size limit as rows, on a connection of its own;
// several collectors may run it, its locks keep them from doing either twice. Next month's partitions are made here
// first, well before the month turns. Its connect gives up when `stopFd` turns readable (stop()).
PruneReport prunePostgres(const QString &uri, int stopFd, const std::function<bool(qint64, qint64)> &report)
{
    PruneReport result;
    auto connection = PgConnection::openStoppable(uri, stopFd);
    if (!connection) {
        result.error = connection.error().message;
        return result;
    }
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (PgStatus ahead = PgPartitions().ensureMonthsAhead(*connection.value(), nowMs); !ahead)
        spdlog::warn("retention: cannot make next month's partitions ahead: {}", ahead.error().message.toStdString());
    const auto pruned = prunePostgresPartitions(*connection.value(), nowMs);
    if (!pruned) {
        result.error = pruned.error().message;
        return result;
    }
    result.eventsDeleted = pruned->eventsDeleted();
    result.issuesDeleted = pruned->issuesDeleted();
    for (const PgDroppedMonth &month : pruned->dropped)
        spdlog::info("retention: dropped {} ({} events) in {} ms", month.month.suffix.toStdString(), month.events,
            month.detachMs + month.removeMs);
    if (pruned->overSize.events > 0)
        spdlog::info("retention: deleted {} events over their projects' size limits ({} issues left empty)",
            pruned->overSize.events, pruned->overSize.issuesDeleted);
    report(result.eventsDeleted, result.eventsDeleted);
    return result;
}

// Runs on the pool thread with a connection of its own. `report(done, total)`
// returns false to cancel.
PruneReport pruneAllProjects(const QString &dbPath, int stopFd, const std::function<bool(qint64, qint64)> &report)
{
    if (isPostgresUri(dbPath))
        return prunePostgres(dbPath, stopFd, report);
    PruneReport result;
    QString error;
    const std::unique_ptr<Database> db = Database::open(dbPath, Database::Mode::ReadWrite, &error);
    if (!db) {
        result.error = error;
        return result;
    }
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const QList<ProjectSettings> projects = ProjectSettingsStore(*db).all();
    Retention retention(*db);

    QList<qint64> planned;
    qint64 total = 0;
    for (const ProjectSettings &settings : projects) {
        planned.append(retention.plan(settings, nowMs, false, &error).eventsToDelete);
        total += planned.last();
    }
    qint64 doneBefore = 0;
    for (qsizetype i = 0; i < projects.size(); ++i) {
        PruneReport one = retention.prune(projects[i], nowMs, [&](qint64 deleted, qint64 projectTotal) {
            return report(doneBefore + deleted, total - planned[i] + projectTotal);
        });
        if (!one.error.isEmpty())
            spdlog::warn("retention: pruning project {} failed: {}", projects[i].projectId, one.error.toStdString());
        else if (one.eventsDeleted > 0)
            spdlog::debug("retention: project {}: {} events, {} issues deleted", projects[i].projectId,
                one.eventsDeleted, one.issuesDeleted);
        total += std::max<qint64>(0, one.eventsDeleted - planned[i]);
        doneBefore += one.eventsDeleted;
        result += one;
        if (one.cancelled)
            break;
    }
    // Refusals that named no project age out by the default limit.
    const ProjectSettings unnamed = ProjectSettings::defaults(0);
    if (!DroppedEventsStore(*db).pruneOlderThan(0, nowMs - qint64(unnamed.maxAgeDays) * 24 * 3600 * 1000, &error))
        spdlog::warn("retention: pruning refusals without a project failed: {}", error.toStdString());
    report(doneBefore, std::max(doneBefore, total));
    return result;
}

} // namespace

RetentionScheduler::RetentionScheduler(const QString &dbPath, RetentionSchedule schedule, QObject *parent)
    : QObject(parent)
    , m_dbPath(dbPath)
    , m_schedule(schedule)
{
    qRegisterMetaType<faultline::PruneReport>();
    m_pool.setMaxThreadCount(1);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        runNow();
        m_timer.start(m_schedule.interval);
    });
    connect(&m_watcher, &QFutureWatcher<PruneReport>::finished, this, &RetentionScheduler::onRunFinished);
}

RetentionScheduler::~RetentionScheduler() { stop(); }

void RetentionScheduler::start() { m_timer.start(m_schedule.firstRun); }

void RetentionScheduler::stop()
{
    m_timer.stop();
    m_cancel = true;
    m_stopPipe.stop();
    m_watcher.waitForFinished();
    m_pool.waitForDone();
}

bool RetentionScheduler::isRunning() const { return m_watcher.isRunning(); }

bool RetentionScheduler::runNow()
{
    if (isRunning())
        return false;
    m_cancel = false;
    m_stopPipe.reset();
    auto emitProgress = [this, throttle = QElapsedTimer()](qint64 done, qint64 total) mutable {
        if (m_cancel)
            return false;
        if (done == total || !throttle.isValid() || throttle.elapsed() >= kProgressIntervalMs) {
            throttle.start();
            // Emitted from this object's thread, so a receiver connected without a context object is still safe.
            QMetaObject::invokeMethod(
                this, [this, done, total] { emit progress(done, total); }, Qt::QueuedConnection);
        }
        return true;
    };
    m_watcher.setFuture(
        QtConcurrent::run(&m_pool, [dbPath = m_dbPath, stopFd = m_stopPipe.readEnd(), emitProgress]() mutable {
            QElapsedTimer timer;
            timer.start();
            PruneReport report = pruneAllProjects(dbPath, stopFd, emitProgress);
            if (!report.error.isEmpty())
                spdlog::warn("retention: {}", report.error.toStdString());
            if (report.eventsDeleted > 0)
                spdlog::info("retention: deleted {} events and {} emptied issues, freed {} KiB in {} ms{}",
                    report.eventsDeleted, report.issuesDeleted, report.bytesFreed / 1024, timer.elapsed(),
                    report.cancelled ? " (cancelled)" : "");
            return report;
        }));
    return true;
}

void RetentionScheduler::onRunFinished()
{
    if (m_watcher.isCanceled() || m_watcher.future().resultCount() == 0)
        return;
    emit finished(m_watcher.result());
}

} // namespace faultline
