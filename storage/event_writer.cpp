#include "storage/event_writer.h"

#include "storage/batch_store.h"
#include "storage/stop_pipe.h"

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
#include <optional>
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
    std::optional<BatchSummary> committed; // batchCommitted's argument
};

struct EventWriter::Private {
    EventWriter *q = nullptr;
    QString location; // a SQLite file or a PostgreSQL URI: openBatchStore() decides
    WriterOptions options;

    mutable std::mutex mutex;
    std::condition_variable wake;
    std::deque<Pending> queue;
    std::map<DiscardKey, qint64> discards; // merged until the next batch
    bool stopping = false;
    bool accepting = true;
    // One writing thread per lane, each with its own connection: SQLite has
    // one; on PostgreSQL a second lane's batch is written while the first's
    // waits for its commit (writerLanesFor(), storage/batch_store.h).
    std::vector<std::thread> lanes;
    // Under `mutex`: lanes that opened, and those of them that lost the
    // database and are reconnecting. The storage is Unavailable only when
    // every lane is away: one that writes takes the queue meanwhile.
    int lanesWriting = 0;
    int lanesAway = 0;
    // stopping's twin for what the condition variable cannot wake: the store's
    // connects and host name look-ups (PostgreSQL), at open and when reconnecting.
    StopPipe stopPipe;

    // Answering the senders (their handlers send the HTTP responses) and
    // freeing the events happen on a thread of their own, so the lanes only
    // write: a lane's transactions are the one thing that cannot run in parallel.
    std::mutex finishedMutex;
    std::condition_variable finishedWake;
    std::deque<Finished> finished;
    int lanesRunning = 0;
    bool writerDone = false; // every lane has ended
    std::thread acknowledger;

    std::atomic<StorageState> storage { StorageState::Ok };
    void noteOutcome(const StoreResult &result, bool &away);

    // Back-off between attempts to get an Unavailable storage back.
    static constexpr std::chrono::milliseconds kFirstRetry { 250 };
    static constexpr std::chrono::milliseconds kLongestRetry { 10000 };
    bool waitForStorage(BatchStore &store, bool &away);
    void failQueued(const QString &why);

    bool enqueue(std::vector<Pending> pending);
    QString startLane();
    void run(int lane, std::promise<QString> opened);
    void commit(
        std::deque<Pending> &batch, const QList<DiscardCount> &discardList, BatchStore &store, bool idle, bool &away);
    StoreResult writeOneByOne(
        const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discardList, BatchStore &store);
    void handOver(Finished done);
    void acknowledge();
};

EventWriter::EventWriter(const QString &location, WriterOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<faultline::BatchSummary>();
    d->q = this;
    d->location = location;
    d->options = options;
    d->options.queueCapacity = std::max(1, d->options.queueCapacity);
    d->options.maxBatch = std::max(1, d->options.maxBatch);
}

EventWriter::~EventWriter() { stop(); }

bool EventWriter::start(QString *error)
{
    if (!d->lanes.empty())
        return true;
    {
        std::lock_guard lock(d->mutex);
        d->stopping = false;
        d->accepting = true;
    }
    d->stopPipe.reset();
    {
        std::lock_guard lock(d->finishedMutex);
        d->writerDone = false;
        d->lanesRunning = 0;
    }
    d->acknowledger = std::thread([this] { d->acknowledge(); });
    // The first lane's open is start()'s answer; a further lane that cannot
    // open (the server's connection limit) leaves the writer with fewer.
    const int lanes = writerLanesFor(d->location, d->options);
    const QString openError = d->startLane();
    for (int lane = 1; openError.isEmpty() && lane < lanes; ++lane) {
        if (const QString laneError = d->startLane(); !laneError.isEmpty()) {
            spdlog::warn(
                "event writer lane {} cannot open ({}); writing with {}", lane + 1, laneError.toStdString(), lane);
            break;
        }
    }
    if (openError.isEmpty())
        return true;
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
    d->stopPipe.stop();
    for (std::thread &lane : d->lanes)
        lane.join();
    d->lanes.clear();
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
    wake.notify_all(); // a lane that is reconnecting ignores it; one that writes must not miss it
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
    d->wake.notify_all();
}

int EventWriter::queueDepth() const
{
    std::lock_guard lock(d->mutex);
    return int(d->queue.size());
}

int EventWriter::queueCapacity() const { return d->options.queueCapacity; }

StorageState EventWriter::storageState() const { return d->storage.load(); }

// A lane's thread, started once its open has succeeded or failed; the empty
// string when it writes.
QString EventWriter::Private::startLane()
{
    {
        std::lock_guard lock(finishedMutex);
        ++lanesRunning;
    }
    std::promise<QString> opened;
    std::future<QString> openResult = opened.get_future();
    const int lane = int(lanes.size());
    lanes.emplace_back([this, lane, promise = std::move(opened)]() mutable { run(lane, std::move(promise)); });
    QString openError = openResult.get();
    if (!openError.isEmpty()) {
        lanes.back().join();
        lanes.pop_back();
    }
    return openError;
}

void EventWriter::Private::run(int lane, std::promise<QString> opened)
{
    struct SignalDone {
        Private *d;
        ~SignalDone()
        {
            {
                std::lock_guard lock(d->finishedMutex);
                d->writerDone = --d->lanesRunning == 0;
            }
            d->finishedWake.notify_all();
        }
    } signalDone { this };
    QString error;
    const std::unique_ptr<BatchStore> store = openBatchStore(location, options, stopPipe.readEnd(), &error);
    if (!store) {
        spdlog::error("event writer cannot open the database: {}", error.toStdString());
        opened.set_value(error.isEmpty() ? QStringLiteral("cannot open the database") : error);
        return;
    }
    if (lane == 0) // what another lane has noted since stands
        storage = store->stateAtOpen();
    {
        std::lock_guard lock(mutex);
        ++lanesWriting;
    }
    opened.set_value(QString());
    store->afterOpen();

    bool away = false; // this lane lost the database and reconnects
    for (;;) {
        if (away && !waitForStorage(*store, away))
            break; // stopping while the storage is away
        std::deque<Pending> batch;
        QList<DiscardCount> discardList;
        bool idle = false;
        {
            std::unique_lock lock(mutex);
            const auto hasWork = [this] { return stopping || !queue.empty() || !discards.empty(); };
            if (const std::optional<std::chrono::milliseconds> due = store->idleWorkDue(); !due) {
                wake.wait(lock, hasWork);
            } else if (!wake.wait_for(lock, *due, hasWork)) {
                lock.unlock();
                store->doIdleWork();
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
        commit(batch, discardList, *store, idle, away);
    }
    {
        std::lock_guard lock(mutex);
        --lanesWriting;
        lanesAway -= away ? 1 : 0;
    }
    failQueued(QStringLiteral("the event writer stopped while the database was unavailable"));
    store->close();
}

// Until this lane's storage is back or the writer stops: an attempt, then a
// wait that doubles from kFirstRetry to kLongestRetry. While every lane is
// away, whatever is queued meanwhile is answered "not stored" at once (the
// collector refuses new requests while the state is Unavailable; these raced
// with that check), so no sender waits out the back-off; while another lane
// writes, the queue is left to it.
bool EventWriter::Private::waitForStorage(BatchStore &store, bool &away)
{
    std::chrono::milliseconds delay = kFirstRetry;
    for (int attempt = 1;; ++attempt) {
        QString error;
        if (store.recover(&error)) {
            {
                std::lock_guard lock(mutex);
                --lanesAway;
                away = false;
            }
            storage = StorageState::Ok;
            spdlog::info("storage is reachable again after {} attempt(s); writing resumes", attempt);
            return true;
        }
        if (attempt == 1 || delay == kLongestRetry)
            spdlog::warn("storage still unavailable ({}); next attempt in {} ms", error.toStdString(), delay.count());
        const auto deadline = std::chrono::steady_clock::now() + delay;
        for (;;) {
            {
                std::unique_lock lock(mutex);
                wake.wait_until(lock, deadline,
                    [this] { return stopping || (!queue.empty() && storage.load() == StorageState::Unavailable); });
                if (stopping)
                    return false;
            }
            if (storage.load() == StorageState::Unavailable)
                failQueued(storageProblem(StorageState::Unavailable));
            if (std::chrono::steady_clock::now() >= deadline)
                break;
        }
        delay = std::min(delay * 2, kLongestRetry);
    }
}

void EventWriter::Private::failQueued(const QString &why)
{
    std::deque<Pending> refused;
    {
        std::lock_guard lock(mutex);
        refused.swap(queue);
    }
    if (!refused.empty())
        handOver(Finished { std::move(refused), {}, why, {} });
}

void EventWriter::Private::noteOutcome(const StoreResult &result, bool &away)
{
    const StorageState now = result.state; // Ok for a commit, and for a failure that says nothing about the storage
    if (now == StorageState::Unavailable) {
        bool everyLaneAway = false;
        {
            std::lock_guard lock(mutex);
            lanesAway += away ? 0 : 1;
            away = true;
            everyLaneAway = lanesAway >= lanesWriting;
        }
        if (!everyLaneAway) {
            spdlog::warn("a writer lane lost the database ({}); the others write on", result.error.toStdString());
            return;
        }
    }
    // Damage found at start stays reported: a commit elsewhere in the file does not repair it.
    StorageState before = storage.load();
    if (before == StorageState::Corrupt || before == now)
        return;
    if (storage.compare_exchange_strong(before, now) && now != StorageState::Ok)
        spdlog::error("storage is {}: {}", storageStateName(now).toStdString(), result.error.toStdString());
}

void EventWriter::Private::commit(
    std::deque<Pending> &batch, const QList<DiscardCount> &discardList, BatchStore &store, bool idle, bool &away)
{
    QElapsedTimer timer;
    timer.start();
    QList<const IncomingEvent *> events;
    for (const Pending &p : batch)
        events.append(&p.event);

    StoreResult result = store.write(events, discardList, idle);
    if (!result.committed && !result.wholeBatchFailed && events.size() + discardList.size() > 1) {
        // One bad event (say, for a project deleted meanwhile) must not take the
        // rest of the batch down with it: write them one by one.
        spdlog::warn("batch of {} events failed ({}); retrying one by one", events.size(), result.error.toStdString());
        result = writeOneByOne(events, discardList, store);
    }

    noteOutcome(result, away);
    if (!result.committed) {
        spdlog::error("batch of {} events not stored: {}", batch.size(), result.error.toStdString());
        handOver(Finished { std::move(batch), {}, result.error, {} });
        return;
    }
    spdlog::debug("committed a batch of {} events in {} ms", batch.size(), timer.elapsed());
    handOver(Finished { std::move(batch), std::move(result.outcomes), {}, std::move(result.summary) });
}

StoreResult EventWriter::Private::writeOneByOne(
    const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discardList, BatchStore &store)
{
    StoreResult merged;
    merged.committed = true;
    for (const IncomingEvent *event : events) {
        if (merged.state == StorageState::Unavailable) { // the rest would fail alike, each after a timeout
            WriteOutcome failedOutcome;
            failedOutcome.eventId = event->event.eventId;
            failedOutcome.error = merged.error;
            merged.outcomes.append(failedOutcome);
            continue;
        }
        StoreResult single = store.write({ event }, {}, false);
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
            spdlog::error("event {} not stored: {}", event->event.eventId.toStdString(), single.error.toStdString());
            WriteOutcome failedOutcome;
            failedOutcome.eventId = event->event.eventId;
            failedOutcome.error = single.error;
            merged.outcomes.append(failedOutcome);
            if (single.state == StorageState::Unavailable) {
                merged.state = single.state;
                merged.error = single.error;
            }
        }
    }
    for (const DiscardCount &discard : discardList) {
        if (merged.state == StorageState::Unavailable)
            break; // SDK loss counts: not worth a timeout each
        StoreResult single = store.write({}, { discard }, false);
        if (!single.committed)
            spdlog::error(
                "discarded-event count for project {} not stored: {}", discard.projectId, single.error.toStdString());
        merged.summary.touchedProjectIds += single.summary.touchedProjectIds;
    }
    return merged;
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
            if (done.committed) // from this one thread, whichever lane committed
                emit q->batchCommitted(*done.committed);
            for (std::size_t i = 0; i < done.batch.size(); ++i)
                done.batch[i].onOutcome(done.outcomes[qsizetype(i)]);
        }
    }
}

} // namespace faultline
