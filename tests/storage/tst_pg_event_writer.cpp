// EventWriter on PostgreSQL (#18): the same writer (queue, batches,
// acknowledging thread) over PgEventStore on a throw-away server. Events are
// acknowledged after their commit; two writers into one database store an
// event id once; SDK loss counts reach `discarded`; a lost server answers the
// batch "not stored", makes the storage Unavailable and is reconnected to with
// back-off; a restart while idle is not seen by anyone; an unreachable server
// at start fails start() without printing the password.
#include "storage_test_helpers.h"

#include "storage/drop_log.h"
#include "storage/postgres/pg_connection.h"
#include "support/pg_number.h"
#include "support/postgres_database.h"

#include <QSignalSpy>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kNow = 1'780'000'000'000; // June 2026

} // namespace

class TestPgEventWriter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void acknowledgesAfterCommit();
    void twoWritersStoreAnEventIdOnce();
    void discardedCountsReachTheTable();
    void refusalsReachTheirTables();
    void aRestartWhileIdleIsNotSeen();
    void aLostServerIsAnsweredAndReconnected();
    void anUnreachableServerFailsStartWithoutThePassword();

private:
    qint64 count(const QString &sql);
    QList<IncomingEvent> events(const QString &prefix, int n, int issues);
    std::unique_ptr<PgConnection> connect();

    PostgresCluster m_cluster;
    QString m_uri;
    std::unique_ptr<PgConnection> m_db;
    qint64 m_project = 0; // a project of its own per test: the tests share one database
};

void TestPgEventWriter::initTestCase()
{
    QString failed;
    m_db = startMigrated(m_cluster, QStringLiteral("ingest"), &failed);
    QVERIFY2(m_db, qPrintable(failed));
    m_uri = m_cluster.uri(QStringLiteral("ingest"));
}

void TestPgEventWriter::init()
{
    if (!m_db->isConnected()) // the outage test stopped the server under it
        QVERIFY(m_db->reconnect());
    const QString name = QString::fromLatin1(QTest::currentTestFunction());
    m_project = pgNumber(*m_db,
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ($1, $1, 0) RETURNING id"),
        { PgParam::text(name) });
    QVERIFY(m_project > 0);
}

std::unique_ptr<PgConnection> TestPgEventWriter::connect()
{
    auto connection = PgConnection::open(m_uri);
    if (!connection) {
        qWarning() << connection.error().message;
        return nullptr;
    }
    return std::move(connection).value();
}

qint64 TestPgEventWriter::count(const QString &sql) { return pgNumber(*m_db, sql, { PgParam::integer(m_project) }); }

QList<IncomingEvent> TestPgEventWriter::events(const QString &prefix, int n, int issues)
{
    QList<IncomingEvent> list;
    for (int i = 0; i < n; ++i)
        list.append(makeEvent(QStringLiteral("%1-%2").arg(prefix).arg(i), QStringLiteral("fp%1").arg(i % issues),
            QStringLiteral("Error %1").arg(i % issues), kNow + i, m_project));
    return list;
}

void TestPgEventWriter::acknowledgesAfterCommit()
{
    EventWriter writer(m_uri, WriterOptions { 1000, 64 });
    QSignalSpy committed(&writer, &EventWriter::batchCommitted);
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    const auto outcomes = writeAndWait(writer, events(QStringLiteral("ack"), 300, 7));
    QVERIFY(outcomes);
    QSet<qint64> issues;
    for (const WriteOutcome &outcome : *outcomes) {
        QVERIFY2(outcome.committed, qPrintable(outcome.error));
        issues.insert(outcome.issueId);
    }
    QCOMPARE(issues.size(), 7);
    // Acknowledged means committed: another connection sees every one now.
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1")), 300);
    QCOMPARE(count(QStringLiteral("SELECT sum(count) FROM issues WHERE project_id = $1")), 300);
    QTRY_VERIFY(!committed.isEmpty());
    int summarised = 0;
    for (const QList<QVariant> &signal : committed)
        summarised += signal.first().value<BatchSummary>().events;
    QCOMPARE(summarised, 300);
    QCOMPARE(writer.storageState(), StorageState::Ok);
}

void TestPgEventWriter::twoWritersStoreAnEventIdOnce()
{
    EventWriter first(m_uri, WriterOptions { 1000, 32 });
    EventWriter second(m_uri, WriterOptions { 1000, 32 });
    QString error;
    QVERIFY2(first.start(&error), qPrintable(error));
    QVERIFY2(second.start(&error), qPrintable(error));
    // The same 200 ids through both (a client's retry through a load balancer), at once.
    const QList<IncomingEvent> sent = events(QStringLiteral("twice"), 200, 4);
    OutcomeLatch latch(400);
    for (qsizetype i = 0; i < sent.size(); ++i) {
        QVERIFY(first.enqueue({ sent[i] }, latch.handlerFor(int(i))));
        QVERIFY(second.enqueue({ sent[i] }, latch.handlerFor(int(200 + i))));
    }
    const auto outcomes = latch.wait();
    QVERIFY(outcomes);
    for (qsizetype i = 0; i < 200; ++i) {
        QVERIFY2((*outcomes)[i].committed, qPrintable((*outcomes)[i].error));
        QVERIFY2((*outcomes)[200 + i].committed, qPrintable((*outcomes)[200 + i].error));
        QCOMPARE((*outcomes)[i].issueId, (*outcomes)[200 + i].issueId); // both answers name the one issue
    }
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1")), 200);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT event_id) FROM events WHERE project_id = $1")), 200);
    QCOMPARE(count(QStringLiteral("SELECT sum(count) FROM issues WHERE project_id = $1")), 200);
}

void TestPgEventWriter::discardedCountsReachTheTable()
{
    EventWriter writer(m_uri);
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    writer.recordDiscarded(m_project, QStringLiteral("queue_overflow"), QStringLiteral("error"), 3);
    writer.recordDiscarded(m_project, QStringLiteral("queue_overflow"), QStringLiteral("error"), 4);
    writer.recordDiscarded(m_project, QStringLiteral("ratelimit_backoff"), QStringLiteral("transaction"), 2);
    writer.recordDiscarded(999'999, QStringLiteral("queue_overflow"), QStringLiteral("error"), 5); // no such project
    QTRY_COMPARE(count(QStringLiteral("SELECT coalesce(sum(quantity), 0) FROM discarded WHERE project_id = $1")), 9);
    QCOMPARE(count(QStringLiteral("SELECT quantity FROM discarded WHERE project_id = $1 AND reason = "
                                  "'queue_overflow'")),
        7);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM discarded WHERE project_id = 999999")), 0);
    QCOMPARE(writer.storageState(), StorageState::Ok);
}

void TestPgEventWriter::refusalsReachTheirTables()
{
    DropLog drops(m_uri, std::chrono::hours(1)); // written by flush() only
    const auto example = [](qint64 receivedMs, const QString &answer) {
        DropExample e;
        e.receivedMs = receivedMs;
        e.status = 429;
        e.size = 300;
        e.peer = QStringLiteral("127.0.0.1:5000");
        e.request = QStringLiteral("POST /api/1/store/");
        e.head = QByteArray(400, 'x');
        e.answer = answer;
        return e;
    };
    drops.record(DropRecord { m_project, QStringLiteral("rate_limited"), 2, example(kNow, QStringLiteral("older")) });
    drops.record(
        DropRecord { m_project, QStringLiteral("rate_limited"), 3, example(kNow + 5, QStringLiteral("newer")) });
    drops.record(
        DropRecord { 888'888, QStringLiteral("wrong_key"), 1, std::nullopt }); // no such project: counts under 0
    QString error;
    QVERIFY2(drops.flush(&error), qPrintable(error));
    drops.record(
        DropRecord { m_project, QStringLiteral("rate_limited"), 1, example(kNow - 5, QStringLiteral("oldest")) });
    QVERIFY2(drops.flush(&error), qPrintable(error));
    QCOMPARE(count(QStringLiteral("SELECT sum(count) FROM refusal_counts WHERE project_id = $1")), 6);
    QCOMPARE(count(QStringLiteral("SELECT size FROM refusal_examples WHERE project_id = $1")), 300);
    auto answer = m_db->exec(QStringLiteral("SELECT answer, length(head) FROM refusal_examples WHERE project_id = $1"),
        { PgParam::integer(m_project) });
    QVERIFY(answer && answer->rowCount() == 1);
    QCOMPARE(answer->text(0, 0), QStringLiteral("newer")); // the newest example stays
    QCOMPARE(answer->int64(0, 1), qint64(DroppedEventsStore::kExampleBytes));
    QVERIFY(pgNumber(*m_db,
                QStringLiteral("SELECT count(*) FROM refusal_counts WHERE project_id = 0 AND reason = "
                               "'wrong_key'"))
        >= 1);
}

void TestPgEventWriter::aRestartWhileIdleIsNotSeen()
{
    EventWriter writer(m_uri);
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    auto before = writeAndWait(writer, events(QStringLiteral("idle-a"), 5, 1));
    QVERIFY(before && before->first().committed);
    QVERIFY2(m_cluster.restart(), qPrintable(m_cluster.error()));
    // The writer's connection died with the old server; the next batch finds
    // that out, reconnects and is written, with no "not stored" for anyone.
    auto after = writeAndWait(writer, events(QStringLiteral("idle-b"), 5, 1));
    QVERIFY(after);
    for (const WriteOutcome &outcome : *after)
        QVERIFY2(outcome.committed, qPrintable(outcome.error));
    QCOMPARE(writer.storageState(), StorageState::Ok);
    QVERIFY(m_db->reconnect());
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1")), 10);
}

void TestPgEventWriter::aLostServerIsAnsweredAndReconnected()
{
    EventWriter writer(m_uri);
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    auto before = writeAndWait(writer, events(QStringLiteral("lost-a"), 3, 1));
    QVERIFY(before && before->first().committed);

    QVERIFY2(m_cluster.stop(), qPrintable(m_cluster.error()));
    auto during = writeAndWait(writer, events(QStringLiteral("lost-b"), 3, 1));
    QVERIFY(during);
    for (const WriteOutcome &outcome : *during) {
        QVERIFY(!outcome.committed);
        QVERIFY(!outcome.error.isEmpty());
    }
    // While it is away, what is queued is answered at once, not after the back-off: by a lane that has
    // not found out yet (one batch), then by all, the storage Unavailable once every lane is away.
    auto meanwhile = writeAndWait(writer, events(QStringLiteral("lost-c"), 2, 1));
    QVERIFY(meanwhile);
    QVERIFY(!meanwhile->first().committed);
    QCOMPARE(writer.storageState(), StorageState::Unavailable);

    QVERIFY2(m_cluster.startAgain(), qPrintable(m_cluster.error()));
    QTRY_COMPARE_WITH_TIMEOUT(writer.storageState(), StorageState::Ok, 20000); // the back-off's longest wait is 10 s
    auto after = writeAndWait(writer, events(QStringLiteral("lost-d"), 3, 1));
    QVERIFY(after);
    for (const WriteOutcome &outcome : *after)
        QVERIFY2(outcome.committed, qPrintable(outcome.error));
    QVERIFY(m_db->reconnect());
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1")), 6);
}

void TestPgEventWriter::anUnreachableServerFailsStartWithoutThePassword()
{
    // A port nothing listens on (the cluster's own, plus one, is as good as any and never this server).
    const QString uri = QStringLiteral("postgresql://faultline:hunter2secret@127.0.0.1:%1/ingest?connect_timeout=2")
                            .arg(m_cluster.port() == 65535 ? 1 : m_cluster.port() + 1);
    EventWriter writer(uri);
    QString error;
    QVERIFY(!writer.start(&error));
    QVERIFY2(error.contains(QLatin1String("cannot connect to PostgreSQL")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("hunter2secret")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("127.0.0.1")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestPgEventWriter)
#include "tst_pg_event_writer.moc"
