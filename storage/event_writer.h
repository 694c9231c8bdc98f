#pragma once
// The writer: a bounded queue in front of the thread that commits events in
// batches (group commit; on PostgreSQL two such threads, each its own
// connection) and reports each event's outcome only after its batch's
// transaction committed. A full queue is refused, never waited on.
#include "storage/incoming_event.h"
#include "storage/storage_health.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <functional>

namespace faultline {

struct WriterOptions {
    int queueCapacity = 10000; // events waiting for the writer
    int maxBatch = 512; // events per transaction
    int startCheckMs = 1000; // SQLite: the quick_check at start stops after this long
    int postgresLanes = 2; // PostgreSQL: batches written side by side, a connection each (SQLite: one)
};

// SDK-reported losses (client_report discarded_events), merged per project,
// reason, category and hour until the next batch.
struct DiscardCount {
    qint64 projectId = 0;
    QString reason;
    QString category;
    qint64 hour = 0; // Unix time in hours, when the report arrived
    qint64 quantity = 0;
};

// Emitted after each commit, from the acknowledging thread (one thread
// whatever the lanes), before the batch's senders are answered; connect queued.
struct BatchSummary {
    int events = 0;
    int newIssues = 0;
    int regressions = 0;
    QList<qint64> touchedIssueIds;
    QList<qint64> newIssueIds; // created by this batch (alerts fire on them)
    QList<qint64> regressedIssueIds; // resolved issues this batch reopened
    QList<qint64> escalatedIssueIds; // issues ignored until they escalate that this batch reopened
    QList<qint64> touchedProjectIds;

    // Adds one committed event's outcome to the counts and the id lists.
    void count(const WriteOutcome &outcome);
    // The touched issues and projects, sorted.
    void setTouched(const QSet<qint64> &issues, const QSet<qint64> &projects);
};

class EventWriter : public QObject {
    Q_OBJECT
public:
    // `location`: a SQLite file, or a PostgreSQL URI (#18): one writer either way,
    // its backend chosen at start (storage/batch_store.h).
    EventWriter(const QString &location, WriterOptions options = {}, QObject *parent = nullptr);
    ~EventWriter() override; // drains the queue, commits, stops the thread

    bool start(QString *error); // opens its own connection on the writer thread
    void stop();

    // Called once per event with its outcome: on the writer's acknowledging
    // thread, or on the caller's own when the writer is shutting down.
    using OutcomeHandler = std::function<void(const WriteOutcome &)>;
    // Thread-safe. Queues all of `events` (one envelope) or, when there is no
    // room for all of them, none (returns false: the caller answers 429); a
    // request is either wholly queued or refused. The events come prepared
    // (IncomingEvent::prepare()), so this thread only queues and the writer's
    // only binds. The one way in: a handler, not a future per event (Qt 6.4 runs a
    // then() continuation twice when it is attached while another thread finishes it).
    bool enqueue(QList<IncomingEvent> events, OutcomeHandler onOutcome);

    // Counts SDK-reported losses (client_report discarded_events) per project.
    void recordDiscarded(qint64 projectId, const QString &reason, const QString &category, qint64 quantity);

    int queueDepth() const;
    int queueCapacity() const;
    // Whether events can be stored: from the check at start and the last commit;
    // Unavailable while a database server is unreachable (the writer reconnects with back-off).
    StorageState storageState() const;

signals:
    void batchCommitted(const faultline::BatchSummary &summary);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace faultline

Q_DECLARE_METATYPE(faultline::BatchSummary)
