// The PostgreSQL batch writer (#18) on a throw-away server: a batch is stored
// whole with its issues counted; an event id posted twice is stored once; two
// writers on separate connections into the same issues keep exact counters
// and lose nothing to a deadlock; a committed batch survives a crash of the
// server; issue workflow and search behave as on SQLite, and an escalation
// two lanes make together, committing out of arrival order, is seen, and an
// issue another writer makes meanwhile takes the batch's events.
#include "storage_test_helpers.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "model/query/query.h"
#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_partitions.h"
#include "storage/raw_codec.h"
#include "support/fixture_events.h"
#include "support/pg_number.h"
#include "support/postgres_database.h"

#include <QJsonDocument>
#include <QTest>

#include <QDeadlineTimer>
#include <QThread>

#include <atomic>
#include <thread>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kNow = 1'780'000'000'000; // June 2026

// An event as EventWriter hands it to a batch writer: prepared (IncomingEvent::prepare).
IncomingEvent pgEvent(qint64 projectId, const QString &eventId, const QString &fingerprint, qint64 receivedMs = kNow,
    const std::function<void(QJsonObject &)> &change = {})
{
    return makeEvent(eventId, fingerprint, QStringLiteral("Error ") + fingerprint, receivedMs, projectId, change);
}

QList<const IncomingEvent *> pointers(const QList<IncomingEvent> &events)
{
    QList<const IncomingEvent *> list;
    for (const IncomingEvent &incoming : events)
        list.append(&incoming);
    return list;
}

} // namespace

class TestPgBatchWriter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void storesABatchAndCountsItsIssues();
    void anEventIdPostedTwiceIsStoredOnce();
    void concurrentWritersKeepExactCounters();
    void aDeadlockIsWrittenAgainNotLost();
    void committedBatchSurvivesAServerCrash();
    void resolvedIssueRegressesIgnoredStays();
    void escalationOfTwoLanesIsSeen();
    void anIssueMadeMeanwhileTakesTheEvents();
    void levelRankAgreesWithTheModel();
    void realFixtureRoundTripsAndIsSearchable();

private:
    std::unique_ptr<PgConnection> connect();
    PostgresCluster m_cluster;
    std::unique_ptr<PgConnection> m_db;
    qint64 m_project = 0; // a project of its own per test: the tests share one database
};

void TestPgBatchWriter::initTestCase()
{
    QString failed;
    m_db = startMigrated(m_cluster, QStringLiteral("writer"), &failed);
    QVERIFY2(m_db, qPrintable(failed));
}

void TestPgBatchWriter::init()
{
    const QString name = QString::fromLatin1(QTest::currentTestFunction());
    m_project = pgNumber(*m_db,
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ($1, $1, 0) RETURNING id"),
        { PgParam::text(name) });
    QVERIFY(m_project > 0);
}

std::unique_ptr<PgConnection> TestPgBatchWriter::connect()
{
    auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("writer")));
    if (!connection) {
        qWarning() << connection.error().message;
        return nullptr;
    }
    return std::move(connection).value();
}

void TestPgBatchWriter::storesABatchAndCountsItsIssues()
{
    QList<IncomingEvent> events;
    for (int i = 0; i < 50; ++i) {
        events.append(pgEvent(m_project, QStringLiteral("store-%1").arg(i), QStringLiteral("fp%1").arg(i % 5), kNow + i,
            [i](QJsonObject &json) {
                json.insert(QStringLiteral("tags"),
                    QJsonObject { { QStringLiteral("browser"), QStringLiteral("Firefox %1").arg(i % 2) } });
            }));
    }
    PgBatchWriter writer(*m_db);
    auto result = writer.write(pointers(events));
    QVERIFY2(result, qPrintable(result.error().message));
    QCOMPARE(result->outcomes.size(), 50);
    QCOMPARE(result->summary.events, 50);
    QCOMPARE(result->summary.newIssues, 5);
    for (int i = 0; i < 50; ++i) {
        QVERIFY(result->outcomes[i].committed);
        QCOMPARE(result->outcomes[i].newIssue, i < 5);
        QCOMPARE(result->outcomes[i].issueId, result->outcomes[i % 5].issueId);
    }
    const PgParams project { PgParam::integer(m_project) };
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"), project), 50);
    QCOMPARE(
        pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM issues WHERE project_id = $1 AND count = 10"), project),
        5);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT last_seen_ms - first_seen_ms FROM issues WHERE id = $1"),
                 { PgParam::integer(result->outcomes[0].issueId) }),
        45);
    QCOMPARE(pgNumber(*m_db,
                 QStringLiteral("SELECT count(*) FROM event_tags t JOIN events e ON e.id = t.event_row "
                                "WHERE e.project_id = $1 AND t.key = 'browser'"),
                 project),
        50);
    // fp0 got events 0, 5, 10…45: half of them from each browser.
    auto facets = m_db->exec(QStringLiteral("SELECT value, events, first_seen_ms, last_seen_ms FROM issue_facets "
                                            "WHERE issue_id = $1 AND key = 'tag:browser' ORDER BY value"),
        { PgParam::integer(result->outcomes[0].issueId) });
    QVERIFY2(facets, qPrintable(facets.error().message));
    QCOMPARE(facets->rowCount(), 2);
    QCOMPARE(facets->text(0, 0), QStringLiteral("Firefox 0"));
    QCOMPARE(facets->int64(0, 1), 5);
    QCOMPARE(facets->int64(0, 2), kNow);
    QCOMPARE(facets->int64(0, 3), kNow + 40);
    QCOMPARE(facets->int64(1, 1), 5);
    QCOMPARE(facets->int64(1, 2), kNow + 5);
    QCOMPARE(pgNumber(*m_db,
                 QStringLiteral("SELECT count(*) FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id "
                                "AND k.issue_id = e.issue_id WHERE e.project_id = $1"),
                 project),
        50);
}

void TestPgBatchWriter::anEventIdPostedTwiceIsStoredOnce()
{
    PgBatchWriter writer(*m_db);
    QList<IncomingEvent> first { pgEvent(m_project, QStringLiteral("twice-1"), QStringLiteral("a")),
        pgEvent(m_project, QStringLiteral("twice-2"), QStringLiteral("a")) };
    auto stored = writer.write(pointers(first));
    QVERIFY2(stored, qPrintable(stored.error().message));
    // The retry of twice-2 (another collector behind the balancer), a new
    // event, and a client that sent one id twice in one envelope.
    QList<IncomingEvent> retry { pgEvent(m_project, QStringLiteral("twice-2"), QStringLiteral("a"), kNow + 5000),
        pgEvent(m_project, QStringLiteral("twice-3"), QStringLiteral("a")),
        pgEvent(m_project, QStringLiteral("twice-4"), QStringLiteral("a")),
        pgEvent(m_project, QStringLiteral("twice-4"), QStringLiteral("a")) };
    auto again = writer.write(pointers(retry));
    QVERIFY2(again, qPrintable(again.error().message));
    for (const WriteOutcome &outcome : again->outcomes) {
        QVERIFY(outcome.committed);
        QCOMPARE(outcome.issueId, stored->outcomes[0].issueId);
    }
    QCOMPARE(again->outcomes[0].eventId, testEventId(QStringLiteral("twice-2")));
    const PgParams project { PgParam::integer(m_project) };
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"), project), 4);
    QCOMPARE(
        pgNumber(*m_db, QStringLiteral("SELECT count(DISTINCT event_id) FROM events WHERE project_id = $1"), project),
        4);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE project_id = $1"), project), 4);
    // The retry kept the first copy (its receipt time), not the second.
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT received_ms FROM events WHERE event_id = $1"),
                 { PgParam::text(testEventId(QStringLiteral("twice-2"))) }),
        kNow);
}

void TestPgBatchWriter::concurrentWritersKeepExactCounters()
{
    // Two collectors, each its own connection, writing batches into the same
    // issues at once, in opposite orders, and a quarter of the ids sent to both.
    constexpr int kBatches = 20;
    constexpr int kPerBatch = 40;
    constexpr int kFingerprints = 6;
    std::atomic<int> ready { 0 };
    QStringList errors[2];
    int attempts[2] = { 0, 0 };
    auto collector = [&](int writerIndex) {
        auto connection = connect();
        if (!connection) {
            errors[writerIndex].append(QStringLiteral("cannot connect"));
            return;
        }
        PgBatchWriter writer(*connection);
        ++ready;
        while (ready.load() < 2) { }
        for (int batch = 0; batch < kBatches; ++batch) {
            QList<IncomingEvent> events;
            for (int n = 0; n < kPerBatch; ++n) {
                const int i = batch * kPerBatch + n;
                const bool shared = i % 4 == 0;
                const int fingerprint = writerIndex == 0 ? i % kFingerprints : kFingerprints - 1 - i % kFingerprints;
                const QString id
                    = shared ? QStringLiteral("shared-%1").arg(i) : QStringLiteral("w%1-%2").arg(writerIndex).arg(i);
                events.append(pgEvent(
                    m_project, id, QStringLiteral("race%1").arg(shared ? i % kFingerprints : fingerprint), kNow + i));
            }
            auto result = writer.write(pointers(events));
            if (!result) {
                errors[writerIndex].append(result.error().message);
                continue;
            }
            attempts[writerIndex] += result->attempts;
            for (const WriteOutcome &outcome : result->outcomes)
                if (!outcome.committed || outcome.issueId == 0)
                    errors[writerIndex].append(QStringLiteral("event %1 not acknowledged").arg(outcome.eventId));
        }
    };
    std::thread first(collector, 0);
    std::thread second(collector, 1);
    first.join();
    second.join();
    QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0].join(u'\n')));
    QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1].join(u'\n')));
    constexpr int kTotal = kBatches * kPerBatch;
    constexpr int kShared = kTotal / 4;
    constexpr int kUnique = 2 * kTotal - kShared;
    qInfo("two writers: %d events sent, %d unique, %d + %d transactions for %d batches each", 2 * kTotal, kUnique,
        attempts[0], attempts[1], kBatches);
    const PgParams project { PgParam::integer(m_project) };
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"), project), kUnique);
    QCOMPARE(
        pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM issues WHERE project_id = $1"), project), kFingerprints);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT sum(count) FROM issues WHERE project_id = $1"), project), kUnique);
    // Every issue's counter is exactly its stored events.
    QCOMPARE(pgNumber(*m_db,
                 QStringLiteral("SELECT count(*) FROM issues i WHERE i.project_id = $1 AND i.count <> "
                                "(SELECT count(*) FROM events e WHERE e.issue_id = i.id)"),
                 project),
        0);
}

void TestPgBatchWriter::aDeadlockIsWrittenAgainNotLost()
{
    PgBatchWriter writer(*m_db);
    QList<IncomingEvent> seed { pgEvent(m_project, QStringLiteral("dl-1"), QStringLiteral("A")),
        pgEvent(m_project, QStringLiteral("dl-2"), QStringLiteral("B")) };
    auto seeded = writer.write(pointers(seed));
    QVERIFY2(seeded, qPrintable(seeded.error().message));
    const qint64 issueA = std::min(seeded->outcomes[0].issueId, seeded->outcomes[1].issueId);
    const qint64 issueB = std::max(seeded->outcomes[0].issueId, seeded->outcomes[1].issueId);
    QVERIFY(m_db->execScript("SET deadlock_timeout = '50ms'")); // this writer is the one that finds it

    // Another session takes B, waits until the writer holds A and waits for B,
    // then asks for A: a deadlock the server breaks by failing the writer's transaction.
    const int writerPid = m_db->backendPid();
    std::atomic<bool> holdsB { false };
    QString otherError;
    std::thread other([&] {
        auto session = connect();
        if (!session || !session->begin()) {
            otherError = QStringLiteral("cannot start the other session");
            holdsB = true;
            return;
        }
        // Only the writer may be the one the server picks, however late a loaded machine runs its check.
        session->exec(QStringLiteral("SET LOCAL deadlock_timeout = '60s'"));
        const QString lock = QStringLiteral("SELECT 1 FROM issues WHERE id = $1 FOR UPDATE");
        session->exec(lock, { PgParam::integer(issueB) });
        holdsB = true;
        const QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired()) {
            auto waiting = session->exec(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND "
                                                        "wait_event_type = 'Lock'"),
                { PgParam::integer(writerPid) });
            if (waiting && waiting->int64(0, 0) == 1)
                break;
            QThread::msleep(5); // polling the server for the writer's state, not standing in for it
        }
        auto locked = session->exec(lock, { PgParam::integer(issueA) });
        if (!locked)
            otherError = locked.error().message;
        session->commit();
    });
    while (!holdsB.load())
        QThread::yieldCurrentThread();
    QList<IncomingEvent> batch { pgEvent(m_project, QStringLiteral("dl-3"), QStringLiteral("A")),
        pgEvent(m_project, QStringLiteral("dl-4"), QStringLiteral("B")) };
    auto result = writer.write(pointers(batch));
    other.join();
    QVERIFY2(otherError.isEmpty(), qPrintable(otherError));
    QVERIFY2(result, qPrintable(result.error().message));
    // At least one retry; under load the retry may meet the other session's lock once more.
    QVERIFY2(result->attempts >= 2, qPrintable(QString::number(result->attempts)));
    QVERIFY(result->outcomes[0].committed && result->outcomes[1].committed);
    QVERIFY(m_db->execScript("RESET deadlock_timeout"));
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT sum(count) FROM issues WHERE project_id = $1"),
                 { PgParam::integer(m_project) }),
        4);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"),
                 { PgParam::integer(m_project) }),
        4);
}

void TestPgBatchWriter::committedBatchSurvivesAServerCrash()
{
    QList<IncomingEvent> events;
    for (int i = 0; i < 20; ++i)
        events.append(pgEvent(m_project, QStringLiteral("durable-%1").arg(i), QStringLiteral("crash")));
    {
        PgBatchWriter writer(*m_db);
        auto result = writer.write(pointers(events));
        QVERIFY2(result, qPrintable(result.error().message));
    }
    // Stopped without a checkpoint, as a killed server: what the commit
    // acknowledged must come back from the WAL.
    QVERIFY2(m_cluster.restart(true), qPrintable(m_cluster.error()));
    QVERIFY(m_db->reconnect());
    auto rows = m_db->exec(QStringLiteral("SELECT raw, raw_size FROM events WHERE project_id = $1 ORDER BY event_id"),
        { PgParam::integer(m_project) });
    QVERIFY2(rows, qPrintable(rows.error().message));
    QCOMPARE(rows->rowCount(), 20);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE project_id = $1"),
                 { PgParam::integer(m_project) }),
        20);
    const QByteArray hex = rows->bytes(0, 0); // bytea's text form: \x…
    QVERIFY(hex.startsWith("\\x"));
    const QByteArray json = decompressRaw(QByteArray::fromHex(hex.mid(2)), rows->int64(0, 1));
    QCOMPARE(json, decompressRaw(events[0].storedRaw.compressed, events[0].storedRaw.size));
}

void TestPgBatchWriter::resolvedIssueRegressesIgnoredStays()
{
    PgBatchWriter writer(*m_db);
    QList<IncomingEvent> firsts { pgEvent(m_project, QStringLiteral("wf-1"), QStringLiteral("resolved")),
        pgEvent(m_project, QStringLiteral("wf-2"), QStringLiteral("ignored")) };
    auto stored = writer.write(pointers(firsts));
    QVERIFY2(stored, qPrintable(stored.error().message));
    const qint64 resolved = stored->outcomes[0].issueId;
    const qint64 ignored = stored->outcomes[1].issueId;
    QVERIFY(m_db->exec(
        QStringLiteral("UPDATE issues SET status = 'resolved' WHERE id = $1"), { PgParam::integer(resolved) }));
    QVERIFY(m_db->exec(
        QStringLiteral("UPDATE issues SET status = 'ignored', substatus = 'until_events', ignore_until_count = 4 "
                       "WHERE id = $1"),
        { PgParam::integer(ignored) }));
    QList<IncomingEvent> seconds { pgEvent(m_project, QStringLiteral("wf-3"), QStringLiteral("resolved")),
        pgEvent(m_project, QStringLiteral("wf-4"), QStringLiteral("ignored")) };
    auto next = writer.write(pointers(seconds));
    QVERIFY2(next, qPrintable(next.error().message));
    QVERIFY(next->outcomes[0].regression);
    QVERIFY(!next->outcomes[1].regression);
    QCOMPARE(next->summary.regressedIssueIds, QList<qint64> { resolved });
    auto rows = m_db->exec(QStringLiteral("SELECT status, regressed, count FROM issues WHERE id = $1 OR id = $2 "
                                          "ORDER BY id = $1 DESC"),
        { PgParam::integer(resolved), PgParam::integer(ignored) });
    QVERIFY(rows);
    QCOMPARE(rows->text(0, 0), QStringLiteral("unresolved"));
    QCOMPARE(rows->int64(0, 1), 1);
    QCOMPARE(rows->text(1, 0), QStringLiteral("ignored")); // 2 of 4 events: still ignored
    QCOMPARE(rows->int64(1, 2), 2);
}

// Two lanes (or collectors) commit out of arrival order: the batch with the
// later events first. Four events in one hour, over a baseline of three, must
// escalate the issue, though neither batch alone gets there.
void TestPgBatchWriter::escalationOfTwoLanesIsSeen()
{
    PgBatchWriter writer(*m_db);
    QList<IncomingEvent> first { pgEvent(m_project, QStringLiteral("esc-1"), QStringLiteral("busy"), kNow) };
    auto seeded = writer.write(pointers(first));
    QVERIFY2(seeded, qPrintable(seeded.error().message));
    const qint64 issue = seeded->outcomes[0].issueId;
    QVERIFY(m_db->exec(QStringLiteral("UPDATE issues SET status = 'ignored', substatus = 'until_escalating', "
                                      "ignore_baseline = 3 WHERE id = $1"),
        { PgParam::integer(issue) }));
    constexpr qint64 kMinute = 60'000;
    QList<IncomingEvent> later { pgEvent(
                                     m_project, QStringLiteral("esc-3"), QStringLiteral("busy"), kNow + 2 * kMinute),
        pgEvent(m_project, QStringLiteral("esc-4"), QStringLiteral("busy"), kNow + 3 * kMinute) };
    auto laterStored = writer.write(pointers(later));
    QVERIFY2(laterStored, qPrintable(laterStored.error().message));
    QVERIFY(!laterStored->outcomes[0].escalation && !laterStored->outcomes[1].escalation); // three in the hour
    QList<IncomingEvent> earlier { pgEvent(
        m_project, QStringLiteral("esc-2"), QStringLiteral("busy"), kNow + kMinute) };
    auto earlierStored = writer.write(pointers(earlier));
    QVERIFY2(earlierStored, qPrintable(earlierStored.error().message));
    QVERIFY(earlierStored->outcomes[0].escalation);
    QCOMPARE(earlierStored->summary.escalatedIssueIds, QList<qint64> { issue });
    auto row = m_db->exec(
        QStringLiteral("SELECT status, substatus, count FROM issues WHERE id = $1"), { PgParam::integer(issue) });
    QVERIFY(row);
    QCOMPARE(row->text(0, 0), QStringLiteral("unresolved"));
    QCOMPARE(row->text(0, 1), QStringLiteral("escalating"));
    QCOMPARE(row->int64(0, 2), 4);
}

// Another writer creates the issue of a new fingerprint and has not committed
// when this batch inserts it: the batch waits, then counts its event into that
// issue as a known issue's (judged: the other writer left it resolved, so the
// event is a regression), and makes no second issue.
void TestPgBatchWriter::anIssueMadeMeanwhileTakesTheEvents()
{
    const IncomingEvent incoming = pgEvent(m_project, QStringLiteral("meanwhile-1"), QStringLiteral("meanwhile"));
    // The month's partitions first: making them waits for the other writer's issues.
    QVERIFY(PgPartitions().ensureMonth(*m_db, kNow));
    auto other = connect();
    QVERIFY(other && other->begin());
    const qint64 made = pgNumber(*other,
        QStringLiteral("INSERT INTO issues(project_id, fingerprint, title, status, count, first_seen_ms, "
                       "last_seen_ms) VALUES ($1, $2, 'made meanwhile', 'resolved', 3, $3, $3) RETURNING id"),
        { PgParam::integer(m_project), PgParam::text(incoming.issue.fingerprint), PgParam::integer(kNow - 1000) });
    QVERIFY(made > 0);
    QVERIFY(other->exec(QStringLiteral("INSERT INTO grouping_keys(project_id, hash, issue_id, strategy) "
                                       "VALUES ($1, $2, $3, 'v2')"),
        { PgParam::integer(m_project), PgParam::text(incoming.issue.fingerprint), PgParam::integer(made) }));

    PgResult<PgBatchResult> result = PgError {};
    std::thread writing([&] {
        auto connection = connect();
        if (!connection)
            return;
        PgBatchWriter writer(*connection);
        result = writer.write({ &incoming });
    });
    const QDeadlineTimer deadline(20000);
    bool waiting = false;
    while (!waiting && !deadline.hasExpired()) {
        waiting = pgNumber(*m_db,
                      QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
                                     "datname = current_database()"))
            == 1;
        if (!waiting)
            QThread::msleep(5); // polling the server for the writer's state, not standing in for it
    }
    const bool committed = bool(other->commit());
    writing.join(); // before any check can return
    QVERIFY(committed);
    QVERIFY(waiting);
    QVERIFY2(result, qPrintable(result.error().message));
    QCOMPARE(result->outcomes[0].issueId, made);
    QVERIFY(!result->outcomes[0].newIssue);
    QVERIFY(result->outcomes[0].regression);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM issues WHERE project_id = $1"),
                 { PgParam::integer(m_project) }),
        1);
    auto row = m_db->exec(
        QStringLiteral("SELECT count, status, regressed FROM issues WHERE id = $1"), { PgParam::integer(made) });
    QVERIFY(row);
    QCOMPARE(row->int64(0, 0), 4);
    QCOMPARE(row->text(0, 1), QStringLiteral("unresolved"));
    QCOMPARE(row->int64(0, 2), 1);
}

void TestPgBatchWriter::levelRankAgreesWithTheModel()
{
    QStringList levels = levelNames();
    levels << QStringLiteral("bogus");
    for (const QString &level : levels)
        QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT level_rank($1)"), { PgParam::text(level) }),
            qint64(levelRank(level)));
    PgBatchWriter writer(*m_db);
    QList<IncomingEvent> events;
    for (const char *level : { "warning", "fatal", "info" }) {
        events.append(pgEvent(m_project, QStringLiteral("level-") + QLatin1String(level), QStringLiteral("lv"), kNow,
            [level](QJsonObject &json) { json.insert(QStringLiteral("level"), QLatin1String(level)); }));
    }
    for (const IncomingEvent &incoming : events) { // one batch each: the upsert merges the level
        auto result = writer.write({ &incoming });
        QVERIFY2(result, qPrintable(result.error().message));
    }
    auto rows
        = m_db->exec(QStringLiteral("SELECT level FROM issues WHERE project_id = $1"), { PgParam::integer(m_project) });
    QCOMPARE(rows->text(0, 0), QStringLiteral("fatal"));
}

void TestPgBatchWriter::realFixtureRoundTripsAndIsSearchable()
{
    const IncomingEvent incoming = preparedFixture(QStringLiteral("python_rich_event_store"), 0, m_project);
    const Event &parsed = incoming.event;
    QVERIFY(!parsed.eventId.isEmpty());
    QVERIFY(!parsed.primaryException()->frames.isEmpty());
    PgBatchWriter writer(*m_db);
    auto result = writer.write({ &incoming });
    QVERIFY2(result, qPrintable(result.error().message));
    QCOMPARE(result->outcomes[0].eventId, parsed.eventId);
    // Found by its frame's function ("<module>") and file ("py_client.py"),
    // split on punctuation as FTS5 splits them on SQLite.
    const Frame &frame = parsed.primaryException()->frames.constLast();
    for (const QString &words : { frame.function, frame.filename, QStringLiteral("client") }) {
        QVERIFY(!words.isEmpty());
        auto rows = m_db->exec(QStringLiteral("SELECT event_id, title, release FROM events WHERE project_id = $1 "
                                              "AND search @@ phraseto_tsquery('simple', "
                                              "regexp_replace($2, '[[:punct:]]', ' ', 'g'))"),
            { PgParam::integer(m_project), PgParam::text(words) });
        QVERIFY2(rows, qPrintable(rows.error().message));
        QVERIFY2(rows->rowCount() == 1, qPrintable(words));
        QCOMPARE(rows->text(0, 0), parsed.eventId);
        QCOMPARE(rows->text(0, 1), incoming.issue.title);
        QCOMPARE(rows->text(0, 2), parsed.release);
    }
}

QTEST_MAIN(TestPgBatchWriter)
#include "tst_pg_batch_writer.moc"
