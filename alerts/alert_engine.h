#pragma once
// Decides and delivers alerts after each committed batch: new issues,
// regressions and escalations, checked against the projects' rules, the
// rules' quiet period and hourly rate; then a webhook POST (Slack, Discord
// or plain JSON) or an email, retried with back-off. Every attempt is stored
// (AlertStore deliveries), failures included, for the alert settings to list.
// Lives below ui: it runs with the window hidden or headless. Use it on one
// thread (the app gives it one of its own: its database writes may wait for
// the writer's lock). Either backend (storage/backend.h): on PostgreSQL every
// collector runs one, and a delivery is claimed before it is sent
// (AlertStore::claimDelivery), so an issue several collectors wrote into is
// alerted about once within the rule's quiet period, not once per collector.
#include "storage/alert_store.h"
#include "storage/event_writer.h"
#include "storage/stop_pipe.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <functional>
#include <memory>

namespace faultline {

class StorageBackend;

struct AlertOptions {
    QList<int> retryDelaysMs = { 2'000, 10'000, 60'000, 300'000 }; // after attempts 1, 2, 3, 4; then it failed
    int requestTimeoutMs = 15'000;
    std::function<qint64()> clock; // epoch ms; default: the system clock
};

class AlertEngine : public QObject {
    Q_OBJECT
public:
    explicit AlertEngine(QString dbPath, AlertOptions options = {}, QObject *parent = nullptr);
    ~AlertEngine() override;

    // From EventWriter::batchCommitted (queued onto the engine's thread).
    void onBatchCommitted(const faultline::BatchSummary &summary);
    // Sends a sample alert through one rule now, whatever its filters say.
    void sendTest(const AlertRule &rule, const AlertIssue &sample);

    int inFlight() const { return m_inFlight; }
    // Ends a PostgreSQL connect (host name look-up included) under way on the engine's thread, and
    // fails later ones at once: its owner quits that thread and waits for it. Any thread.
    void stopConnecting() { m_stopPipe.stop(); }

signals:
    void batchEvaluated(); // after onBatchCommitted() checked every rule (deliveries may still be under way)
    void deliveryFinished(qint64 deliveryId, faultline::DeliveryState state, const QString &detail);

private:
    struct Attempt;
    AlertStore *store(); // null (logged) when the database cannot be opened
    qint64 now() const;
    // `claimed`: recorded only if no other engine alerted about the issue within the quiet period.
    void deliver(const AlertRule &rule, const AlertIssue &issue, AlertTrigger trigger, bool claimed);
    // One issue, one trigger, every matching rule of its project among `rules` (those of every project).
    void evaluate(qint64 issueId, AlertTrigger trigger, const QList<AlertRule> &rules);
    void attempt(const std::shared_ptr<Attempt> &attempt);
    void attemptFinished(const std::shared_ptr<Attempt> &attempt, bool ok, const QString &detail, bool retryable);

    QString m_dbPath;
    AlertOptions m_options;
    StopPipe m_stopPipe;
    std::unique_ptr<StorageBackend> m_backend;
    QNetworkAccessManager *m_network = nullptr; // created on first use, on the engine's thread
    int m_inFlight = 0;
};

} // namespace faultline
