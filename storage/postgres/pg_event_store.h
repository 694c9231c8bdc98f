#pragma once
// EventWriter's PostgreSQL store (#18): one connection of the writer thread,
// the schema migrated (or found current) at open, PgBatchWriter for each
// batch's events and the SDKs' loss counts into `discarded`.
// A lost connection makes the storage Unavailable: the batch is answered
// "not stored" (the collector's 503), EventWriter calls recover() with
// back-off, and writing resumes on the new connection. Every connect (at
// open, in recover() and in write()) gives up when the writer's stop pipe
// turns readable, also while it looks a host name up. A batch that finds the
// connection already broken (the server restarted while the collector was
// idle) reconnects once and is written again at once: an event id whose
// COMMIT went through but whose answer was lost is recognised by its id, not
// stored twice.
#include "storage/batch_store.h"
#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_connection.h"

namespace faultline {

class PgEventStore : public BatchStore {
public:
    static std::unique_ptr<BatchStore> open(const QString &uri, int stopFd, QString *error);

    StoreResult write(
        const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards, bool idle) override;
    bool recover(QString *error) override;

    // What a failure of kind `kind` means for the storage and for a retry of the batch's events one by one.
    static StorageState stateOf(PgError::Kind kind);
    static bool failsWholeBatch(PgError::Kind kind);

private:
    PgEventStore(std::unique_ptr<PgConnection> connection, int stopFd);
    StoreResult writeOnce(const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards);
    PgStatus writeDiscards(const QList<DiscardCount> &discards);

    std::unique_ptr<PgConnection> m_connection;
    PgBatchWriter m_writer;
    const int m_stopFd; // the writer's StopPipe (storage/stop_pipe.h)
};

} // namespace faultline
