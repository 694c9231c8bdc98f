// Merge and split on PostgreSQL (#18) on a throw-away server, while
// collectors write into the same issues: every event stays counted once in
// the issue that holds it (count, first/last seen, issue_facets), a merge
// waits for a collector's transaction on one of its issues instead of
// overwriting what that transaction counted, and a batch that read a key
// before a merge or split moved it is written again where the key went.
#include "pg_consistency.h"
#include "storage_test_helpers.h"

#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_issue_merger.h"
#include "support/pg_number.h"
#include "support/postgres_database.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kNow = 1'780'000'000'000; // June 2026

// Tagged and released, so the facet counters have something to move.
IncomingEvent pgEvent(qint64 projectId, const QString &eventId, const QString &fingerprint, qint64 receivedMs)
{
    return makeEvent(
        eventId, fingerprint, QStringLiteral("Error ") + fingerprint, receivedMs, projectId, [&](QJsonObject &json) {
            json.insert(QStringLiteral("release"), QStringLiteral("app@%1").arg(receivedMs % 3));
            json.insert(
                QStringLiteral("tags"), QJsonObject { { QStringLiteral("shard"), QString::number(receivedMs % 4) } });
        });
}

QList<const IncomingEvent *> pointers(const QList<IncomingEvent> &events)
{
    QList<const IncomingEvent *> list;
    for (const IncomingEvent &incoming : events)
        list.append(&incoming);
    return list;
}

} // namespace

class TestPgIssueMerger : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void mergeWhileTwoCollectorsWrite();
    void mergeWaitsForACollectorHoldingAnIssue();
    void splitMovesCountersWithTheEvents();
    void batchReadingAKeyBeforeItsSplitFollowsIt();
    void refusalsChangeNothing();

private:
    std::unique_ptr<PgConnection> connect();
    QList<qint64> seedIssues(const QStringList &fingerprints, int eventsEach);
    // Figures that disagree with the stored events, per kind; empty when all agree.
    QStringList inconsistencies();

    PostgresCluster m_cluster;
    std::unique_ptr<PgConnection> m_db;
    qint64 m_project = 0; // a project of its own per test: the tests share one database
};

void TestPgIssueMerger::initTestCase()
{
    QString failed;
    m_db = startMigrated(m_cluster, QStringLiteral("merger"), &failed);
    QVERIFY2(m_db, qPrintable(failed));
}

void TestPgIssueMerger::init()
{
    m_project = pgNumber(*m_db,
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ($1, $1, 0) RETURNING id"),
        { PgParam::text(QString::fromLatin1(QTest::currentTestFunction())) });
    QVERIFY(m_project > 0);
}

std::unique_ptr<PgConnection> TestPgIssueMerger::connect()
{
    auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("merger")));
    if (!connection) {
        qWarning() << connection.error().message;
        return nullptr;
    }
    return std::move(connection).value();
}

QList<qint64> TestPgIssueMerger::seedIssues(const QStringList &fingerprints, int eventsEach)
{
    QList<IncomingEvent> events;
    for (int n = 0; n < eventsEach; ++n)
        for (const QString &fingerprint : fingerprints)
            events.append(pgEvent(m_project, QStringLiteral("%1-seed-%2-%3").arg(m_project).arg(fingerprint).arg(n),
                fingerprint, kNow + events.size()));
    PgBatchWriter writer(*m_db);
    auto written = writer.write(pointers(events));
    if (!written) {
        qWarning() << written.error().message;
        return {};
    }
    QList<qint64> issues;
    for (qsizetype i = 0; i < fingerprints.size(); ++i)
        issues.append(written->outcomes[i].issueId);
    return issues;
}

QStringList TestPgIssueMerger::inconsistencies() { return pgInconsistencies(*m_db, m_project); }

void TestPgIssueMerger::mergeWhileTwoCollectorsWrite()
{
    const QStringList fingerprints { QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"),
        QStringLiteral("D") };
    const QList<qint64> seeded = seedIssues(fingerprints, 3);
    QCOMPARE(seeded.size(), 4);

    // Two collectors write batches into all four issues, in opposite orders,
    // until both merges are done and each has written a batch after them.
    constexpr int kPerBatch = 24;
    std::atomic<int> batches { 0 };
    std::atomic<bool> merged { false };
    std::atomic<int> sent { 0 };
    QStringList errors[2];
    auto collector = [&](int index) {
        auto connection = connect();
        if (!connection)
            return errors[index].append(QStringLiteral("cannot connect"));
        PgBatchWriter writer(*connection);
        for (int batch = 0; batch < 200; ++batch) {
            const bool last = merged.load();
            QList<IncomingEvent> events;
            for (int n = 0; n < kPerBatch; ++n) {
                const QString &fingerprint = fingerprints[(index == 0 ? n : kPerBatch - n) % fingerprints.size()];
                events.append(pgEvent(m_project, QStringLiteral("c%1-%2-%3").arg(index).arg(batch).arg(n), fingerprint,
                    kNow + 1000 + batch * kPerBatch + n));
            }
            auto result = writer.write(pointers(events));
            if (!result)
                return errors[index].append(result.error().message);
            for (const WriteOutcome &outcome : result->outcomes)
                if (!outcome.committed || outcome.issueId == 0)
                    errors[index].append(QStringLiteral("event %1 not acknowledged").arg(outcome.eventId));
            sent += kPerBatch;
            ++batches;
            if (last)
                return;
        }
        errors[index].append(QStringLiteral("the merges never finished"));
    };
    std::thread first(collector, 0);
    std::thread second(collector, 1);

    PgIssueMerger merger(*m_db);
    QString error;
    QTRY_VERIFY_WITH_TIMEOUT(batches.load() >= 4, 30000); // the collectors are busy
    const auto ab = merger.merge({ seeded[0], seeded[1] }, seeded[1], kNow, &error);
    QTRY_VERIFY_WITH_TIMEOUT(batches.load() >= 8, 30000);
    const auto abc = ab ? merger.merge({ seeded[2], seeded[1] }, 0, kNow, &error) : std::nullopt;
    merged = true;
    first.join();
    second.join();
    QVERIFY2(ab && abc, qPrintable(error));
    QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0].join(u'\n')));
    QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1].join(u'\n')));

    QCOMPARE(ab->survivorId, seeded[1]);
    QCOMPARE(ab->mergedIds, QList<qint64> { seeded[0] });
    QVERIFY(abc->survivorId == seeded[1] || abc->survivorId == seeded[2]);
    const qint64 survivor = abc->survivorId;
    const PgParams project { PgParam::integer(m_project) };
    // Every event stored once, all of A, B and C in the survivor.
    const qint64 stored = 4 * 3 + sent.load();
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"), project), stored);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT sum(count) FROM issues WHERE project_id = $1"), project), stored);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM issues WHERE project_id = $1"), project), 2);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM grouping_keys WHERE issue_id = $1"),
                 { PgParam::integer(survivor) }),
        3);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(survivor) }),
        pgNumber(*m_db,
            QStringLiteral("SELECT count(*) FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id "
                           "WHERE e.project_id = $1 AND k.hash IN ('A', 'B', 'C')"),
            project));
    const QStringList wrong = inconsistencies();
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

void TestPgIssueMerger::mergeWaitsForACollectorHoldingAnIssue()
{
    const QList<qint64> seeded = seedIssues({ QStringLiteral("A"), QStringLiteral("B") }, 2);
    QCOMPARE(seeded.size(), 2);
    // A collector's batch in the middle of its transaction: it holds B, as
    // pg_issue_resolver locks it, and has counted one more event into it.
    auto collector = connect();
    QVERIFY(collector && collector->begin());
    QVERIFY(collector->exec(
        QStringLiteral("SELECT 1 FROM issues WHERE id = $1 FOR UPDATE"), { PgParam::integer(seeded[1]) }));
    QVERIFY(collector->exec(
        QStringLiteral("UPDATE issues SET count = count + 1 WHERE id = $1"), { PgParam::integer(seeded[1]) }));

    const int mergerPid = m_db->backendPid();
    std::optional<MergeOutcome> outcome;
    QString error;
    std::atomic<bool> done { false };
    std::thread merging([&] {
        outcome = PgIssueMerger(*m_db).merge({ seeded[0], seeded[1] }, seeded[0], kNow, &error);
        done = true;
    });
    auto watcher = connect();
    QVERIFY(watcher);
    QTRY_COMPARE_WITH_TIMEOUT(pgNumber(*watcher,
                                  QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND "
                                                 "wait_event_type = 'Lock'"),
                                  { PgParam::integer(mergerPid) }),
        1, 20000);
    QVERIFY(!done.load());
    QVERIFY(collector->commit());
    merging.join();
    QVERIFY2(outcome, qPrintable(error));
    // 2 + 2 seeded, and the one the collector counted while the merge waited.
    QCOMPARE(
        pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(seeded[0]) }), 5);
    QCOMPARE(outcome->eventsMoved, 2);
}

void TestPgIssueMerger::splitMovesCountersWithTheEvents()
{
    const QList<qint64> seeded = seedIssues({ QStringLiteral("A"), QStringLiteral("B") }, 5);
    QCOMPARE(seeded.size(), 2);
    PgIssueMerger merger(*m_db);
    QString error;
    const auto merged = merger.merge(seeded, 0, kNow, &error);
    QVERIFY2(merged, qPrintable(error));
    const qint64 kept = merged->survivorId;
    const QList<StoredGroupingKey> keys = merger.keys(kept, &error);
    QCOMPARE(keys.size(), 2);
    QCOMPARE(merger.eventsPerKey(kept, &error).value(keys[1].id), 5);

    const auto split = merger.split(kept, keys[1].hash, kNow + 1, &error);
    QVERIFY2(split, qPrintable(error));
    QCOMPARE(split->eventsMoved, 5);
    QCOMPARE(merger.keys(split->newIssueId, &error).size(), 1);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(kept) }), 5);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"),
                 { PgParam::integer(split->newIssueId) }),
        5);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM grouping_rules WHERE project_id = $1"),
                 { PgParam::integer(m_project) }),
        2);
    // The new issue is named after no key ("issue:ID"); the one it left keeps one of its own.
    QCOMPARE(pgNumber(*m_db,
                 QStringLiteral("SELECT count(*) FROM issues i WHERE i.project_id = $1 AND (i.fingerprint = "
                                "'issue:' || i.id OR EXISTS (SELECT 1 FROM grouping_keys k WHERE k.issue_id = i.id "
                                "AND k.hash = i.fingerprint))"),
                 { PgParam::integer(m_project) }),
        2);
    const QStringList wrong = inconsistencies();
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

void TestPgIssueMerger::batchReadingAKeyBeforeItsSplitFollowsIt()
{
    // C is created first, so its id is the lowest: a batch with events for C
    // and B locks C first, and waits there while the test holds C.
    const QList<qint64> first = seedIssues({ QStringLiteral("C") }, 1);
    const QList<qint64> seeded = seedIssues({ QStringLiteral("A"), QStringLiteral("B") }, 2);
    QCOMPARE(first.size(), 1);
    QCOMPARE(seeded.size(), 2);
    PgIssueMerger merger(*m_db);
    QString error;
    const auto merged = merger.merge(seeded, 0, kNow, &error);
    QVERIFY2(merged, qPrintable(error));
    QVERIFY(first[0] < merged->survivorId);

    auto holder = connect();
    QVERIFY(holder && holder->begin());
    QVERIFY(
        holder->exec(QStringLiteral("SELECT 1 FROM issues WHERE id = $1 FOR UPDATE"), { PgParam::integer(first[0]) }));

    // The collector looks up B's key (still in the merged issue), then waits for C.
    auto collector = connect();
    QVERIFY(collector);
    const int collectorPid = collector->backendPid();
    const QList<IncomingEvent> batch { pgEvent(m_project, QStringLiteral("late-c"), QStringLiteral("C"), kNow + 10),
        pgEvent(m_project, QStringLiteral("late-b1"), QStringLiteral("B"), kNow + 11),
        pgEvent(m_project, QStringLiteral("late-b2"), QStringLiteral("B"), kNow + 12) };
    std::optional<PgResult<PgBatchResult>> written;
    std::thread writing([&] { written = PgBatchWriter(*collector).write(pointers(batch)); });
    QTRY_COMPARE_WITH_TIMEOUT(pgNumber(*m_db,
                                  QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND "
                                                 "wait_event_type = 'Lock'"),
                                  { PgParam::integer(collectorPid) }),
        1, 20000);

    // B is split off meanwhile (it needs only the merged issue's lock), then C is let go.
    const auto split = merger.split(merged->survivorId, QStringLiteral("B"), kNow + 20, &error);
    holder->rollback();
    writing.join();
    QVERIFY2(split, qPrintable(error));
    QVERIFY(written && *written);
    QCOMPARE((*written)->outcomes.size(), 3);
    QCOMPARE((*written)->attempts, 2); // the first found B's key moved and started over
    QCOMPARE((*written)->outcomes[1].issueId, split->newIssueId);
    QCOMPARE((*written)->outcomes[2].issueId, split->newIssueId);
    QCOMPARE(pgNumber(*m_db,
                 QStringLiteral("SELECT count(*) FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id "
                                "WHERE e.project_id = $1 AND e.issue_id <> k.issue_id"),
                 { PgParam::integer(m_project) }),
        0);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"),
                 { PgParam::integer(split->newIssueId) }),
        2 + 2);
    const QStringList wrong = inconsistencies();
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

void TestPgIssueMerger::refusalsChangeNothing()
{
    const QList<qint64> seeded = seedIssues({ QStringLiteral("A"), QStringLiteral("B") }, 1);
    QCOMPARE(seeded.size(), 2);
    PgIssueMerger merger(*m_db);
    QString error;
    QVERIFY(!merger.merge({ seeded[0], seeded[0] }, 0, kNow, &error));
    QCOMPARE(error, QStringLiteral("merging needs two issues or more"));
    QVERIFY(!merger.merge({ seeded[0], 999'999 }, 0, kNow, &error));
    QCOMPARE(error, QStringLiteral("no issue 999999"));
    QVERIFY(!merger.merge(seeded, 999'999, kNow, &error));
    QCOMPARE(error, QStringLiteral("issue 999999 is not one of the issues merged"));
    QVERIFY(!merger.split(seeded[0], QStringLiteral("A"), kNow, &error));
    QCOMPARE(error, QStringLiteral("issue %1 has only this grouping key: nothing to split it from").arg(seeded[0]));
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM issues WHERE project_id = $1"),
                 { PgParam::integer(m_project) }),
        2);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM grouping_rules WHERE project_id = $1"),
                 { PgParam::integer(m_project) }),
        0);
    // The connection is usable after a refusal (its transaction was rolled back).
    QVERIFY(merger.merge(seeded, 0, kNow, &error));
}

QTEST_GUILESS_MAIN(TestPgIssueMerger)
#include "tst_pg_issue_merger.moc"
