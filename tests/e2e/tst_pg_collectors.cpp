// Several collectors into one PostgreSQL database (#18), end to end: two real
// `faultline --headless --db postgresql://…` processes on their own ports
// over a throw-away server; the real Python SDK reporting to both; a captured
// Python client request posted to both with the same event id (a retry
// through a load balancer); then load on both while one collector is killed
// with SIGKILL and restarted, the server is stopped (the collectors answer 503
// with Retry-After, /health says "unavailable") and started again, and
// crashes and recovers. Afterwards every event that got a 200 is in the
// database exactly once, and the issue counters add up to the events.
#include "storage/postgres/pg_connection.h"
#include "support/faultline_process.h"
#include "support/fixture_replay.h"
#include "support/http_client.h"
#include "support/pg_number.h"
#include "support/postgres_cluster.h"

#include <QHash>
#include <QProcess>
#include <QSet>
#include <QTest>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace faultline;
using namespace faultline::test;

namespace {

const QString kFixture = QStringLiteral("python_message_store"); // captured from sentry-sdk

// What the load threads saw, per answer.
struct LoadTally {
    std::mutex mutex;
    QSet<QString> acknowledged; // event ids answered 200
    std::atomic<int> acks[2] {}; // per collector
    std::atomic<int> unavailable { 0 }; // 503s that carried Retry-After
    std::atomic<int> unavailableWithoutRetryAfter { 0 };
    std::atomic<int> otherStatus { 0 };
};

} // namespace

class TestPgCollectors : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void bothCollectorsTakeTheRealSdk();
    void anEventIdPostedToBothIsStoredOnce();
    void everyAcknowledgedEventSurvivesKillsAndOutages();
    void anUnreachableServerAtStartIsItsOwnExitCode();
    void cleanupTestCase();

private:
    std::unique_ptr<FaultlineProcess> startCollector();
    QByteArray requestWithId(const QString &eventId) const;
    qint64 number(const QString &sql, const PgParams &params = {});
    void runLoad(int collector, LoadTally &tally, const std::atomic<bool> &stop);

    PostgresCluster m_cluster;
    QString m_uri;
    std::unique_ptr<PgConnection> m_db;
    std::unique_ptr<FaultlineProcess> m_collectors[2];
    std::atomic<quint16> m_ports[2] {};
    qint64 m_project = 0;
    QString m_key;
    QString m_fixtureId;
};

void TestPgCollectors::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("team")), qPrintable(m_cluster.error()));
    m_uri = m_cluster.uri(QStringLiteral("team"));
    // Both at once: the schema is made once (an advisory lock), and both find it.
    auto first = std::make_unique<FaultlineProcess>(FAULTLINE_BINARY, m_uri);
    auto second = std::make_unique<FaultlineProcess>(FAULTLINE_BINARY, m_uri);
    QVERIFY2(first->start(), qPrintable(first->log()));
    QVERIFY2(second->start(), qPrintable(second->log()));
    m_collectors[0] = std::move(first);
    m_collectors[1] = std::move(second);
    m_ports[0] = m_collectors[0]->port();
    m_ports[1] = m_collectors[1]->port();
    QVERIFY(m_ports[0] != m_ports[1]);

    auto connection = PgConnection::open(m_uri);
    QVERIFY2(connection, qPrintable(connection.error().message));
    m_db = std::move(connection).value();
    auto project = m_db->exec(QStringLiteral("SELECT id, public_key FROM projects WHERE name = 'default'"));
    QVERIFY2(project && project->rowCount() == 1, project ? "no default project" : qPrintable(project.error().message));
    m_project = project->int64(0, 0);
    m_key = project->text(0, 1);
    m_fixtureId = fixtureEventId(kFixture);
    QCOMPARE(m_fixtureId.size(), 32);
}

void TestPgCollectors::cleanupTestCase()
{
    for (auto &collector : m_collectors)
        if (collector)
            collector->terminate();
}

std::unique_ptr<FaultlineProcess> TestPgCollectors::startCollector()
{
    auto collector = std::make_unique<FaultlineProcess>(FAULTLINE_BINARY, m_uri);
    if (!collector->start()) {
        qWarning().noquote() << collector->log();
        return nullptr;
    }
    return collector;
}

qint64 TestPgCollectors::number(const QString &sql, const PgParams &params)
{
    if (!m_db->isConnected())
        m_db->reconnect();
    return pgNumber(*m_db, sql, params);
}

// The captured request with another event id of the same length: the body's
// size, and so its Content-Length, stay as captured.
QByteArray TestPgCollectors::requestWithId(const QString &eventId) const
{
    QByteArray request = replayRequest(kFixture, m_project, m_key, BodyForm::Decompressed);
    request.replace(m_fixtureId.toLatin1(), eventId.toLatin1());
    return request;
}

void TestPgCollectors::bothCollectorsTakeTheRealSdk()
{
    QList<std::shared_ptr<QProcess>> clients;
    for (quint16 port : { m_ports[0].load(), m_ports[1].load() }) {
        auto python = std::make_shared<QProcess>();
        python->setProcessChannelMode(QProcess::MergedChannels);
        const QString dsn = QStringLiteral("http://%1@127.0.0.1:%2/%3").arg(m_key).arg(port).arg(m_project);
        python->start(QStringLiteral("/usr/bin/python3"),
            { QStringLiteral(FAULTLINE_TESTS_DIR) + QStringLiteral("/e2e/python_sdk_flood.py"), dsn,
                QStringLiteral("8") });
        clients.append(python);
    }
    for (const auto &python : clients) {
        QVERIFY(python->waitForFinished(60000));
        QVERIFY2(python->exitCode() == 0, python->readAll().constData());
    }
    // The SDK flushed each event and the collectors answer after the commit: all there now.
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM events WHERE message LIKE 'flood %'")), 16);
    QCOMPARE(number(QStringLiteral("SELECT count(DISTINCT event_id) FROM events WHERE message LIKE 'flood %'")), 16);
}

void TestPgCollectors::anEventIdPostedToBothIsStoredOnce()
{
    const QString id = QStringLiteral("b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0");
    for (int round = 0; round < 2; ++round) {
        for (const auto &port : m_ports) {
            const RawResponse response = sendRaw(port, requestWithId(id));
            QVERIFY2(response.status == 200, response.body.constData());
            QCOMPARE(response.json().value(QStringLiteral("id")).toString(), id);
        }
    }
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM events WHERE event_id = $1"), { PgParam::text(id) }), 1);
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM event_ids WHERE event_id = $1"), { PgParam::text(id) }), 1);
}

// Posts events with fresh ids to one collector until told to stop, following
// its port across a restart, and notes every answer.
void TestPgCollectors::runLoad(int collector, LoadTally &tally, const std::atomic<bool> &stop)
{
    for (int n = 0; !stop; ++n) {
        const QString id = QStringLiteral("%1%2").arg(collector == 0 ? "a" : "b").arg(n, 31, 10, QLatin1Char('0'));
        const RawResponse response = sendRaw(m_ports[collector], requestWithId(id), 5000);
        if (response.status == 200) {
            std::lock_guard lock(tally.mutex);
            tally.acknowledged.insert(id);
            ++tally.acks[collector];
        } else if (response.status == 503) {
            ++(response.header("Retry-After").toInt() > 0 ? tally.unavailable : tally.unavailableWithoutRetryAfter);
        } else if (response.status != 0) { // 0: the collector is killed or not yet listening
            ++tally.otherStatus;
        }
    }
}

void TestPgCollectors::everyAcknowledgedEventSurvivesKillsAndOutages()
{
    LoadTally tally;
    std::atomic<bool> stop { false };
    std::vector<std::thread> load;
    for (int collector : { 0, 1 })
        load.emplace_back([this, collector, &tally, &stop] { runLoad(collector, tally, stop); });
    struct StopLoad {
        std::atomic<bool> &stop;
        std::vector<std::thread> &load;
        ~StopLoad()
        {
            stop = true;
            for (std::thread &thread : load)
                thread.join();
        }
    } stopLoad { stop, load };
    const auto moreAcks = [&tally](int collector, int more) {
        const int target = tally.acks[collector] + more;
        return [&tally, collector, target] { return tally.acks[collector] >= target; };
    };

    auto bothAcked = moreAcks(0, 40);
    auto secondAcked = moreAcks(1, 40);
    QTRY_VERIFY_WITH_TIMEOUT(bothAcked() && secondAcked(), 20000);

    // A collector dies under load; the other keeps taking events; it comes back on a new port.
    m_collectors[0]->kill();
    auto afterKill = moreAcks(1, 40);
    QTRY_VERIFY_WITH_TIMEOUT(afterKill(), 20000);
    m_collectors[0] = startCollector();
    QVERIFY(m_collectors[0]);
    m_ports[0] = m_collectors[0]->port();
    auto restarted = moreAcks(0, 40);
    QTRY_VERIFY_WITH_TIMEOUT(restarted(), 20000);

    // The server goes away: 503 with Retry-After, and /health says why.
    const int unavailableBefore = tally.unavailable;
    QVERIFY2(m_cluster.stop(), qPrintable(m_cluster.error()));
    QTRY_VERIFY_WITH_TIMEOUT(tally.unavailable > unavailableBefore + 4, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        sendRaw(m_ports[1], buildRequest("GET", "/health", {}, {})).json().value("storage").toString()
            == QLatin1String("unavailable"),
        10000);
    const RawResponse health = sendRaw(m_ports[1], buildRequest("GET", "/health", {}, {}));
    QCOMPARE(health.status, 503);
    // It comes back: both collectors reconnect and store again.
    QVERIFY2(m_cluster.startAgain(), qPrintable(m_cluster.error()));
    auto firstResumed = moreAcks(0, 40);
    auto secondResumed = moreAcks(1, 40);
    QTRY_VERIFY_WITH_TIMEOUT(firstResumed() && secondResumed(), 30000); // the back-off waits 10 s at most

    // A crash of the server (no checkpoint) under load: what was acknowledged is in its WAL.
    QVERIFY2(m_cluster.restart(true), qPrintable(m_cluster.error()));
    auto firstAfterCrash = moreAcks(0, 40);
    auto secondAfterCrash = moreAcks(1, 40);
    QTRY_VERIFY_WITH_TIMEOUT(firstAfterCrash() && secondAfterCrash(), 30000);

    stop = true;
    for (std::thread &thread : load)
        thread.join();
    load.clear();
    QCOMPARE(tally.unavailableWithoutRetryAfter.load(), 0);
    QCOMPARE(tally.otherStatus.load(), 0);

    QVERIFY(m_db->reconnect());
    auto stored = m_db->exec(QStringLiteral("SELECT event_id, count(*) FROM events WHERE project_id = $1 AND "
                                            "(event_id LIKE 'a%' OR event_id LIKE 'b%') GROUP BY event_id"),
        { PgParam::integer(m_project) });
    QVERIFY2(stored, qPrintable(stored.error().message));
    QHash<QString, qint64> copies;
    for (int row = 0; row < stored->rowCount(); ++row)
        copies.insert(stored->text(row, 0), stored->int64(row, 1));
    int missing = 0;
    for (const QString &id : std::as_const(tally.acknowledged))
        missing += copies.contains(id) ? 0 : 1;
    QCOMPARE(missing, 0);
    for (auto it = copies.cbegin(); it != copies.cend(); ++it)
        QVERIFY2(it.value() == 1, qPrintable(it.key()));
    QVERIFY(copies.size() >= tally.acknowledged.size());
    qInfo("%lld events acknowledged (%d + %d), %lld stored, %d answered 503 with Retry-After",
        qint64(tally.acknowledged.size()), tally.acks[0].load(), tally.acks[1].load(), qint64(copies.size()),
        tally.unavailable.load());
    // The issue counters saw each stored event once, across both collectors.
    QCOMPARE(
        number(QStringLiteral("SELECT sum(count) FROM issues WHERE project_id = $1"), { PgParam::integer(m_project) }),
        number(QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"), { PgParam::integer(m_project) }));
}

namespace {

// `faultline ARGS` to its end: exit code, and what it printed.
int runFaultline(const QStringList &arguments, QString *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(FAULTLINE_BINARY), arguments);
    if (!process.waitForFinished(30000))
        return -1;
    *output = QString::fromUtf8(process.readAll());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace

void TestPgCollectors::anUnreachableServerAtStartIsItsOwnExitCode()
{
    // Nothing listens on port 1; the password must not be printed.
    QString output;
    const int code = runFaultline({ QStringLiteral("--headless"), QStringLiteral("--db"),
                                      QStringLiteral("postgresql://faultline:hunter2secret@127.0.0.1:1/team"),
                                      QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") },
        &output);
    QCOMPARE(code, 9);
    QVERIFY2(output.contains(QLatin1String("cannot be reached")), qPrintable(output));
    QVERIFY2(output.contains(QLatin1String("postgresql://faultline:***@127.0.0.1:1/team")), qPrintable(output));
    QVERIFY2(!output.contains(QLatin1String("hunter2secret")), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestPgCollectors)
#include "tst_pg_collectors.moc"
