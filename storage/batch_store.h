#pragma once
// One backend's side of EventWriter (#18): the writer thread opens one at
// start (openBatchStore picks SQLite or PostgreSQL from the location) and
// hands it one batch per transaction. The queue, the batching, the
// acknowledging thread and the handler contract stay in EventWriter and are
// the same for every backend; a store only writes, and says what a failure
// means for the storage.
#include "storage/event_writer.h"
#include "storage/incoming_event.h"
#include "storage/storage_health.h"

#include <QList>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace faultline {

struct StoreResult {
    bool committed = false;
    QString error;
    // What a failure says about the storage (Ok when committed): EventWriter's storageState().
    StorageState state = StorageState::Ok;
    // A failure about no event in particular (disk full, server gone, no
    // permission): writing the batch's events one by one would fail alike.
    bool wholeBatchFailed = false;
    QList<WriteOutcome> outcomes; // one per event, in order, when committed
    BatchSummary summary;
};

class BatchStore {
public:
    virtual ~BatchStore() = default;

    // The storage as found at open (SQLite: a damaged or read-only file).
    virtual StorageState stateAtOpen() const { return StorageState::Ok; }
    // Right after open, once the writer's start() has returned.
    virtual void afterOpen() { }
    // All of `events` and `discards` in one transaction, or none of them.
    // `idle`: nothing else waits in the queue (the burst is over).
    virtual StoreResult write(
        const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards, bool idle)
        = 0;
    // Work left between batches (SQLite: events not yet in the search index):
    // how long the writer may wait for the next batch before doIdleWork(); none pending: nullopt.
    virtual std::optional<std::chrono::milliseconds> idleWorkDue() const { return std::nullopt; }
    virtual void doIdleWork() { }
    // After a write left the storage Unavailable: one attempt to get it back
    // (PostgreSQL: reconnect). EventWriter calls it with back-off until it
    // succeeds or the writer stops (which ends an attempt under way too).
    virtual bool recover(QString *error)
    {
        (void)error;
        return true;
    }
    // Before the writer thread ends, with everything committed.
    virtual void close() { }
};

// SQLite for a file path, PostgreSQL for a postgresql:// or postgres:// URI
// (isPostgresUri). Called on the writer thread; nullptr and *error when it cannot open.
// `stopFd`, the read end of the writer's StopPipe: PostgreSQL's connects, at
// open and in recover(), give up when it turns readable (storage/stop_pipe.h).
std::unique_ptr<BatchStore> openBatchStore(
    const QString &location, const WriterOptions &options, int stopFd, QString *error);
// How many stores EventWriter opens and writes with side by side: one for
// SQLite (one writer per file), options.postgresLanes for PostgreSQL, whose
// batches wait for one another only where they touch the same issues.
int writerLanesFor(const QString &location, const WriterOptions &options);

} // namespace faultline
