// Alerts on PostgreSQL (#18), on a throw-away server: every collector runs an
// alert engine on the shared database, and an issue two collectors wrote into
// at the same moment is alerted about once (the delivery is claimed under a
// per-rule lock, AlertStore::claimDelivery), through a real webhook receiver.
// The alert settings' store works the same on both backends.
#include "alerts/alert_engine.h"
#include "storage/backend.h"
#include "storage/postgres/pg_backend.h"
#include "storage/postgres/pg_batch_writer.h"
#include "storage/storage_test_helpers.h"
#include "support/http_receiver.h"
#include "support/pg_number.h"
#include "support/postgres_cluster.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kStart = 1'780'000'000'000; // June 2026

// An engine on a thread of its own, as each collector runs one (app/run_server.cpp).
struct EngineThread {
    QThread thread;
    AlertEngine *engine = nullptr;

    explicit EngineThread(const QString &uri)
        : engine(new AlertEngine(uri))
    {
        engine->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, engine, &QObject::deleteLater);
        thread.start();
    }
    ~EngineThread()
    {
        thread.quit();
        thread.wait();
    }
    EngineThread(const EngineThread &) = delete;
    EngineThread &operator=(const EngineThread &) = delete;
};

} // namespace

class TestPgAlerts : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void twoCollectorsAlertOnce();
    void settingsRoundTrip();

private:
    QString uri() const { return m_cluster.uri(QStringLiteral("alerts")); }
    // One collector's batch of `count` events of fingerprint `fp`: its summary, as its writer reports it.
    BatchSummary writeBatch(StorageBackend &backend, const QString &prefix, int count);

    PostgresCluster m_cluster;
    std::unique_ptr<StorageBackend> m_backend;
};

void TestPgAlerts::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("alerts")), qPrintable(m_cluster.error()));
    auto backend = openStorageBackend(uri(), BackendUse::Create); // migrates, adds the default project 1
    QVERIFY2(backend, qPrintable(backend.error().detail));
    m_backend = std::move(backend).value();
}

BatchSummary TestPgAlerts::writeBatch(StorageBackend &backend, const QString &prefix, int count)
{
    QList<IncomingEvent> events;
    for (int n = 0; n < count; ++n)
        events.append(makeEvent(QStringLiteral("%1-%2").arg(prefix).arg(n), QStringLiteral("checkout-timeout"),
            QStringLiteral("TimeoutError: checkout"), QDateTime::currentMSecsSinceEpoch() + n, 1));
    QList<const IncomingEvent *> pointers;
    for (const IncomingEvent &incoming : events)
        pointers.append(&incoming);
    auto written = PgBatchWriter(static_cast<PgBackend &>(backend).connection()).write(pointers);
    if (!written) {
        qWarning() << written.error().message;
        return {};
    }
    return written->summary;
}

void TestPgAlerts::twoCollectorsAlertOnce()
{
    HttpReceiver receiver;
    QVERIFY(receiver.listen());
    AlertRule rule;
    rule.projectId = 1;
    rule.name = QStringLiteral("escalating");
    rule.target = receiver.baseUrl() + QStringLiteral("/hook");
    rule.onNewIssue = false;
    rule.onRegression = false;
    rule.onEscalation = true;
    rule.escalationEvents = 3;
    rule.minLevel = QStringLiteral("debug");
    QString error;
    const qint64 ruleId = m_backend->alerts().saveRule(rule, &error);
    QVERIFY2(ruleId > 0, qPrintable(error));

    // Two collectors, each with its connection and its engine, write into the same issue.
    auto first = openStorageBackend(uri(), BackendUse::Write);
    auto second = openStorageBackend(uri(), BackendUse::Write);
    QVERIFY(first && second);
    const BatchSummary seed = writeBatch(*first.value(), QStringLiteral("seed"), 1);
    QCOMPARE(seed.newIssueIds.size(), 1);
    const qint64 issueId = seed.newIssueIds.first();
    const BatchSummary a = writeBatch(*first.value(), QStringLiteral("a"), 2);
    const BatchSummary b = writeBatch(*second.value(), QStringLiteral("b"), 2);
    QCOMPARE(a.touchedIssueIds, QList<qint64> { issueId });
    QCOMPARE(b.touchedIssueIds, QList<qint64> { issueId });

    // Both engines judge their batch at the same moment: both see 5 events, past the threshold.
    EngineThread engineA(uri());
    EngineThread engineB(uri());
    QSignalSpy evaluatedA(engineA.engine, &AlertEngine::batchEvaluated);
    QSignalSpy evaluatedB(engineB.engine, &AlertEngine::batchEvaluated);
    QSignalSpy finishedA(engineA.engine, &AlertEngine::deliveryFinished);
    QSignalSpy finishedB(engineB.engine, &AlertEngine::deliveryFinished);
    QMetaObject::invokeMethod(engineA.engine, [&] { engineA.engine->onBatchCommitted(a); });
    QMetaObject::invokeMethod(engineB.engine, [&] { engineB.engine->onBatchCommitted(b); });
    QTRY_COMPARE_WITH_TIMEOUT(evaluatedA.count() + evaluatedB.count(), 2, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(finishedA.count() + finishedB.count(), 1, 20000);

    // One webhook POST, one delivery recorded as sent, whichever engine won.
    QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 1, 20000);
    const QList<AlertDelivery> deliveries = m_backend->alerts().deliveries(1, 10);
    QCOMPARE(deliveries.size(), 1);
    QCOMPARE(deliveries.first().ruleId, ruleId);
    QCOMPARE(deliveries.first().issueId, issueId);
    QCOMPARE(deliveries.first().state, DeliveryState::Sent);
    QCOMPARE(deliveries.first().trigger, AlertTrigger::Escalation);
    QVERIFY(receiver.requests().first().body.contains("TimeoutError: checkout"));

    // A later batch within the quiet period: judged again by both, sent by none.
    const BatchSummary c = writeBatch(*second.value(), QStringLiteral("c"), 1);
    QMetaObject::invokeMethod(engineA.engine, [&] { engineA.engine->onBatchCommitted(c); });
    QMetaObject::invokeMethod(engineB.engine, [&] { engineB.engine->onBatchCommitted(c); });
    QTRY_COMPARE_WITH_TIMEOUT(evaluatedA.count() + evaluatedB.count(), 4, 20000);
    QCOMPARE(m_backend->alerts().deliveries(1, 10).size(), 1);
    QCOMPARE(receiver.requests().size(), 1);
    QVERIFY(m_backend->alerts().removeRule(ruleId));
}

void TestPgAlerts::settingsRoundTrip()
{
    AlertStore &store = m_backend->alerts();
    AlertRule rule;
    rule.projectId = 1;
    rule.name = QStringLiteral("ops mail");
    rule.channel = AlertChannel::Email;
    rule.target = QStringLiteral("ops@example.com");
    rule.environment = QStringLiteral(" production ");
    rule.quietMinutes = 5;
    QString error;
    rule.id = store.saveRule(rule, &error);
    QVERIFY2(rule.id > 0, qPrintable(error));
    rule.maxPerHour = 3;
    QCOMPARE(store.saveRule(rule, &error), rule.id);
    const QList<AlertRule> rules = store.rules(1);
    QCOMPARE(rules.size(), 1);
    QCOMPARE(rules.first().environment, QStringLiteral("production"));
    QCOMPARE(rules.first().maxPerHour, 3);
    QCOMPARE(rules.first().channel, AlertChannel::Email);
    rule.id = 999'999;
    QCOMPARE(store.saveRule(rule, &error), 0);
    QCOMPARE(error, QStringLiteral("no such rule"));

    const SmtpServer server { QStringLiteral("mail.internal"), 465, SmtpSecurity::Tls, QStringLiteral("ann"),
        QStringLiteral("s3cret"), QStringLiteral("faultline@example.com"), QStringLiteral("/etc/ssl/ca.pem") };
    QVERIFY(!store.smtpServer().value());
    QVERIFY(store.setSmtpServer(server, &error));
    QCOMPARE(store.smtpServer().value(), server);
    SmtpServer changed = server;
    changed.port = 587;
    changed.security = SmtpSecurity::StartTls;
    QVERIFY(store.setSmtpServer(changed, &error));
    QCOMPARE(store.smtpServer().value(), changed);
    QVERIFY(store.setSmtpServer(std::nullopt, &error));
    QVERIFY(!store.smtpServer().value());
    QVERIFY(store.removeRule(rules.first().id));
    QVERIFY(!store.removeRule(rules.first().id));
}

QTEST_GUILESS_MAIN(TestPgAlerts)
#include "tst_pg_alerts.moc"
