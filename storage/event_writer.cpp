#include "storage/event_writer.h"

#include "storage/batch_writer.h"
#include "storage/database.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <algorithm>

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace faultline {

void BatchSummary::count(const WriteOutcome &outcome)
{
    newIssues += outcome.newIssue ? 1 : 0;
    regressions += outcome.regression ? 1 : 0;
    if (outcome.newIssue)
        newIssueIds.append(outcome.issueId);
    if (outcome.regression)
        regressedIssueIds.append(outcome.issueId);
    if (outcome.escalation)
        escalatedIssueIds.append(outcome.issueId);
}

void BatchSummary::setTouched(const QSet<qint64> &issues, const QSet<qint64> &projects)
{
    touchedIssueIds = QList<qint64>(issues.begin(), issues.end());
    touchedProjectIds = QList<qint64>(projects.begin(), projects.end());
    std::sort(touchedIssueIds.begin(), touchedIssueIds.end());
    std::sort(touchedProjectIds.begin(), touchedProjectIds.end());
}

namespace {

struct Pending {
    IncomingEvent event;
    EventWriter::OutcomeHandler onOutcome;
};

// Answers every event of `pending` (a deque or vector of Pending) with `error`, then empties it.
template<typename PendingList> void failAll(PendingList &pending, const QString &error)
{
    for (Pending &p : pending) {
        WriteOutcome outcome;
        outcome.eventId = p.event.event.eventId;
        outcome.error = error;
        p.onOutcome(outcome);
    }
    pending.clear();
}

using DiscardKey = std::tuple<qint64, QString, QString, qint64>; // project, reason, category, hour

} // namespace

// A committed (or failed) batch on its way to its senders.
struct Finished {
    std::deque<Pending> batch;
    QList<WriteOutcome> outcomes; // one per event when committed
    QString error; // else why not
};

struct EventWriter::Private {
    EventWriter *q = nullptr;
    QString dbPath;
    WriterOptions options;

    mutable std::mutex mutex;
    std::condition_variable wake;
    std::deque<Pending> queue;
    std::map<DiscardKey, qint64> discards; // merged until the next batch
    bool stopping = false;
    bool accepting = true;
    std::thread thread;

    // Answering the senders (their handlers send the HTTP responses) and
    // freeing the events happen on a second thread, so the writer thread only
    // writes: it is the one thing that cannot run in parallel.
    std::mutex finishedMutex;
    std::condition_variable finishedWake;
    std::deque<Finished> finished;
    bool writerDone = false;
    std::thread acknowledger;

    // Events stored but not yet in the search index (see migration v6). Under
    // load the index catches up in bulk; a lone event is indexed with its own
    // batch; and the index is never more than kSearchLag behind once a burst ends.
    static constexpr int kSearchBacklog = 2048;
    static constexpr std::chrono::milliseconds kSearchLag { 200 };
    int unindexed = 0;
    std::chrono::steady_clock::time_point lastIndexed {};
    std::atomic<StorageState> storage { StorageState::Ok };
    void checkStorage(Database &db);
    void noteOutcome(const BatchResult &result);
    void catchUpSearch(BatchWriter &writer);

    bool enqueue(std::vector<Pending> pending);
    void run(std::promise<QString> opened);
    void commit(std::deque<Pending> &batch, const QList<DiscardCount> &discardList, BatchWriter &writer, bool idle);
    void handOver(Finished done);
    void acknowledge();
};

EventWriter::EventWriter(const QString &dbPath, WriterOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<faultline::BatchSummary>();
    d->q = this;
    d->dbPath = dbPath;
    d->options = options;
    d->options.queueCapacity = std::max(1, d->options.queueCapacity);
    d->options.maxBatch = std::max(1, d->options.maxBatch);
}

EventWriter::~EventWriter() { stop(); }

bool EventWriter::start(QString *error)
{
    if (d->thread.joinable())
        return true;
    {
        std::lock_guard lock(d->mutex);
        d->stopping = false;
        d->accepting = true;
    }
    {
        std::lock_guard lock(d->finishedMutex);
        d->writerDone = false;
    }
    d->acknowledger = std::thread([this] { d->acknowledge(); });
    std::promise<QString> opened;
    std::future<QString> openResult = opened.get_future();
    d->thread = std::thread([this, promise = std::move(opened)]() mutable { d->run(std::move(promise)); });
    const QString openError = openResult.get();
    if (openError.isEmpty())
        return true;
    d->thread.join();
    d->acknowledger.join();
    {
        std::lock_guard lock(d->mutex);
        d->accepting = false; // nothing would commit what is queued from now on
    }
    if (error)
        *error = openError;
    return false;
}

void EventWriter::stop()
{
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
        d->accepting = false;
    }
    d->wake.notify_all();
    if (d->thread.joinable())
        d->thread.join();
    if (d->acknowledger.joinable())
        d->acknowledger.join();
    // Only reached with work left when the thread never ran: nobody will commit it.
    std::deque<Pending> left;
    {
        std::lock_guard lock(d->mutex);
        left.swap(d->queue);
        d->discards.clear();
    }
    failAll(left, QStringLiteral("the event writer is not running")); // outside the lock, as in enqueue
}

bool EventWriter::enqueue(QList<IncomingEvent> events, OutcomeHandler onOutcome)
{
    if (!onOutcome)
        onOutcome = [](const WriteOutcome &) {}; // the writer calls it unconditionally
    std::vector<Pending> pending;
    pending.reserve(std::size_t(events.size()));
    // Every event but the last copies the handler; the last takes it.
    for (qsizetype i = 0; i + 1 < events.size(); ++i)
        pending.push_back(Pending { std::move(events[i]), onOutcome });
    if (!events.isEmpty())
        pending.push_back(Pending { std::move(events.last()), std::move(onOutcome) });
    return d->enqueue(std::move(pending));
}

bool EventWriter::Private::enqueue(std::vector<Pending> pending)
{
    {
        std::lock_guard lock(mutex);
        if (accepting) {
            if (queue.size() + pending.size() > std::size_t(options.queueCapacity))
                return false;
            for (Pending &p : pending)
                queue.push_back(std::move(p));
            pending.clear();
        }
    }
    if (!pending.empty()) {
        // Answered here, outside the lock: a handler may call back into the writer.
        failAll(pending, QStringLiteral("the event writer is shutting down"));
        return true;
    }
    wake.notify_one();
    return true;
}

void EventWriter::recordDiscarded(qint64 projectId, const QString &reason, const QString &category, qint64 quantity)
{
    if (quantity <= 0)
        return;
    {
        std::lock_guard lock(d->mutex);
        if (!d->accepting)
            return;
        const qint64 hour = QDateTime::currentSecsSinceEpoch() / 3600;
        d->discards[DiscardKey { projectId, reason, category, hour }] += quantity;
    }
    d->wake.notify_one();
}

int EventWriter::queueDepth() const
{
    std::lock_guard lock(d->mutex);
    return int(d->queue.size());
}

int EventWriter::queueCapacity() const { return d->options.queueCapacity; }

StorageState EventWriter::storageState() const { return d->storage.load(); }

void EventWriter::Private::run(std::promise<QString> opened)
{
    struct SignalDone {
        Private *d;
        ~SignalDone()
        {
            {
                std::lock_guard lock(d->finishedMutex);
                d->writerDone = true;
            }
            d->finishedWake.notify_all();
        }
    } signalDone { this };
    QString error;
    std::unique_ptr<Database> db = Database::open(dbPath, Database::Mode::ReadWrite, &error);
    if (!db) {
        spdlog::error("event writer cannot open the database: {}", error.toStdString());
        opened.set_value(error.isEmpty() ? QStringLiteral("cannot open the database") : error);
        return;
    }
    checkStorage(*db);
    opened.set_value(QString());
    BatchWriter writer(*db);
    catchUpSearch(writer); // events a crash may have left out of the search index

    for (;;) {
        std::deque<Pending> batch;
        QList<DiscardCount> discardList;
        bool idle = false;
        {
            std::unique_lock lock(mutex);
            const auto hasWork = [this] { return stopping || !queue.empty() || !discards.empty(); };
            if (unindexed == 0) {
                wake.wait(lock, hasWork);
            } else if (!wake.wait_for(lock, kSearchLag, hasWork)) {
                lock.unlock(); // the burst is over: bring the search index up to date
                catchUpSearch(writer);
                continue;
            }
            if (queue.empty() && discards.empty())
                break; // stopping, and everything queued is committed
            while (!queue.empty() && int(batch.size()) < options.maxBatch) {
                batch.push_back(std::move(queue.front()));
                queue.pop_front();
            }
            for (const auto &[key, quantity] : discards)
                discardList.append(
                    DiscardCount { std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), quantity });
            discards.clear();
            idle = queue.empty();
        }
        commit(batch, discardList, writer, idle);
    }
    if (unindexed > 0)
        catchUpSearch(writer);
}

// A damaged or read-only file is said at start, not found by every write later.
void EventWriter::Private::checkStorage(Database &db)
{
    const IntegrityReport integrity = checkIntegrity(db.handle(), false, options.startCheckMs);
    if (!integrity.problems.isEmpty()) {
        storage = StorageState::Corrupt;
        spdlog::error("database {} is damaged ({} problem(s), first: {}); run `faultline db check` for the "
                      "recovery steps",
            dbPath.toStdString(), integrity.problems.size(),
            integrity.problems.first().section(QLatin1Char('\n'), -1).toStdString());
    } else if (isReadOnly(db.handle())) {
        storage = StorageState::ReadOnly;
        spdlog::error("database {} is read-only: events cannot be stored", dbPath.toStdString());
    } else if (!integrity.complete) {
        spdlog::info("quick_check of {} stopped after {} ms with nothing found so far", dbPath.toStdString(),
            options.startCheckMs);
    }
}

void EventWriter::Private::noteOutcome(const BatchResult &result)
{
    const StorageState now = result.committed ? StorageState::Ok : storageStateOf(result.sqliteCode);
    // Damage found at start stays reported: a commit elsewhere in the file does not repair it.
    StorageState before = storage.load();
    if (before == StorageState::Corrupt || before == now)
        return;
    if (storage.compare_exchange_strong(before, now) && now != StorageState::Ok)
        spdlog::error("storage is {}: {}", storageStateName(now).toStdString(), result.error.toStdString());
}

void EventWriter::Private::catchUpSearch(BatchWriter &writer)
{
    const BatchResult result = writer.write({}, {}, true);
    const int pending = std::exchange(unindexed, 0); // on failure too: the next batch's indexing retries
    if (!result.committed) {
        spdlog::error("cannot update the search index: {}", result.error.toStdString());
        return;
    }
    spdlog::debug("search index up to date ({} events were known pending)", pending);
    lastIndexed = std::chrono::steady_clock::now();
}

void EventWriter::Private::commit(
    std::deque<Pending> &batch, const QList<DiscardCount> &discardList, BatchWriter &writer, bool idle)
{
    QElapsedTimer timer;
    timer.start();
    QList<const IncomingEvent *> events;
    for (const Pending &p : batch)
        events.append(&p.event);

    const auto now = std::chrono::steady_clock::now();
    const bool indexSearch
        = unindexed + int(events.size()) >= kSearchBacklog || (idle && now - lastIndexed >= kSearchLag);
    BatchResult result = writer.write(events, discardList, indexSearch);
    if (result.committed) {
        unindexed = indexSearch ? 0 : unindexed + int(events.size());
        if (indexSearch)
            lastIndexed = now;
    }
    if (!result.committed && !BatchWriter::isEnvironmentalFailure(result.sqliteCode)
        && events.size() + discardList.size() > 1) {
        // One bad event (say, for a project deleted meanwhile) must not take the
        // rest of the batch down with it: write them one by one.
        spdlog::warn("batch of {} events failed ({}); retrying one by one", events.size(), result.error.toStdString());
        BatchResult merged;
        merged.committed = true;
        for (qsizetype i = 0; i < events.size(); ++i) {
            BatchResult single = writer.write({ events[i] }, {});
            if (single.committed) {
                merged.outcomes.append(single.outcomes.first());
                merged.summary.events += single.summary.events;
                merged.summary.newIssues += single.summary.newIssues;
                merged.summary.regressions += single.summary.regressions;
                merged.summary.touchedIssueIds += single.summary.touchedIssueIds;
                merged.summary.newIssueIds += single.summary.newIssueIds;
                merged.summary.regressedIssueIds += single.summary.regressedIssueIds;
                merged.summary.escalatedIssueIds += single.summary.escalatedIssueIds;
                merged.summary.touchedProjectIds += single.summary.touchedProjectIds;
            } else {
                spdlog::error(
                    "event {} not stored: {}", events[i]->event.eventId.toStdString(), single.error.toStdString());
                WriteOutcome failedOutcome;
                failedOutcome.eventId = events[i]->event.eventId;
                failedOutcome.error = single.error;
                merged.outcomes.append(failedOutcome);
            }
        }
        for (const DiscardCount &discard : discardList) {
            BatchResult single = writer.write({}, { discard });
            if (!single.committed)
                spdlog::error("discarded-event count for project {} not stored: {}", discard.projectId,
                    single.error.toStdString());
            merged.summary.touchedProjectIds += single.summary.touchedProjectIds;
        }
        result = merged;
    }

    noteOutcome(result);
    if (!result.committed) {
        spdlog::error("batch of {} events not stored: {}", batch.size(), result.error.toStdString());
        handOver(Finished { std::move(batch), {}, result.error });
        return;
    }
    spdlog::debug("committed a batch of {} events in {} ms", batch.size(), timer.elapsed());
    emit q->batchCommitted(result.summary);
    handOver(Finished { std::move(batch), std::move(result.outcomes), {} });
}

void EventWriter::Private::handOver(Finished done)
{
    {
        std::lock_guard lock(finishedMutex);
        finished.push_back(std::move(done));
    }
    finishedWake.notify_one();
}

void EventWriter::Private::acknowledge()
{
    for (;;) {
        std::deque<Finished> work;
        {
            std::unique_lock lock(finishedMutex);
            finishedWake.wait(lock, [this] { return writerDone || !finished.empty(); });
            if (finished.empty())
                return; // the writer stopped and everything is answered
            work.swap(finished);
        }
        for (Finished &done : work) {
            if (!done.error.isEmpty()) {
                failAll(done.batch, done.error);
                continue;
            }
            for (std::size_t i = 0; i < done.batch.size(); ++i)
                done.batch[i].onOutcome(done.outcomes[qsizetype(i)]);
        }
    }
}

} // namespace faultline
