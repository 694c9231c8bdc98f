#pragma once
// The single writer: a bounded queue in front of one thread that commits
// events in batches (group commit) and reports each event's outcome only after
// its batch's transaction committed. A full queue is refused, never waited on.
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
    int startCheckMs = 1000; // the quick_check at start stops after this long
};

// Emitted (from the writer thread) after each commit; connect queued.
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
    EventWriter(const QString &dbPath, WriterOptions options = {}, QObject *parent = nullptr);
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
    // Whether events can be stored: from the check at start and the last commit.
    StorageState storageState() const;

signals:
    void batchCommitted(const faultline::BatchSummary &summary);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace faultline

Q_DECLARE_METATYPE(faultline::BatchSummary)
