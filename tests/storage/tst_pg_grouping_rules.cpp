// Grouping rules and re-grouping on PostgreSQL (#18), on a throw-away server:
// the collectors' writer applies the stored rules at ingest as SQLite's does
// (a merged key's events go to the issue that stayed, a split-off key's to its
// own issue, and where the key points after the rule is removed); a rule's
// removal takes its keys' events along; re-grouping gives the figures the
// SQLite test gives (tst_regroup), and while two collectors write into the
// issues it moves, no event is lost or counted twice.
#include "pg_consistency.h"
#include "storage_test_helpers.h"

#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_grouping_rule_store.h"
#include "storage/postgres/pg_issue_merger.h"
#include "storage/postgres/pg_regrouper.h"
#include "support/event_mutation.h"
#include "support/fixture_events.h"
#include "support/postgres_database.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kStart = 1'780'000'000'000; // June 2026

QJsonObject withCacheBuster(const QJsonObject &json, const QString &query)
{
    return mutateFrames(json, [&](QJsonObject &frame, qsizetype) {
        const QString file = frame.value(QStringLiteral("filename")).toString();
        if (file.startsWith(QLatin1String("http://")))
            frame[QStringLiteral("filename")] = file + query;
    });
}

// Occurrence `n` of `json` in `project`, grouped as the collector groups it now.
IncomingEvent current(QJsonObject json, qint64 project, const QString &id)
{
    json.insert(QStringLiteral("event_id"),
        QString::fromLatin1(QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Md5).toHex()));
    return preparedEvent(json, kStart + (qHash(id) % 100'000), project);
}

// The same as the writer before v2 keyed it: by its v1 hash.
IncomingEvent asV1(const QJsonObject &json, qint64 project, const QString &id)
{
    IncomingEvent incoming = current(json, project, id);
    incoming.issue.fingerprint = incoming.issue.legacyFingerprint;
    incoming.issue.legacyFingerprint.clear();
    incoming.issue.explanation = GroupingExplanation { QStringLiteral("v1"), {}, {}, {} };
    return incoming;
}

} // namespace

class TestPgGroupingRules : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void rulesApplyAtIngestAndComeOffWhenRemoved();
    void regroupJoinsWhatV1SplitAsOnSqlite();
    void regroupWhileTwoCollectorsWrite();

private:
    std::unique_ptr<PgConnection> connect();
    QList<WriteOutcome> write(PgConnection &connection, const QList<IncomingEvent> &events);

    PostgresCluster m_cluster;
    std::unique_ptr<PgConnection> m_db;
    qint64 m_project = 0; // a project of its own per test: the tests share one database
};

void TestPgGroupingRules::initTestCase()
{
    QString failed;
    m_db = startMigrated(m_cluster, QStringLiteral("rules"), &failed);
    QVERIFY2(m_db, qPrintable(failed));
}

void TestPgGroupingRules::init()
{
    m_project = pgNumber(*m_db,
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ($1, $1, 0) RETURNING id"),
        { PgParam::text(QString::fromLatin1(QTest::currentTestFunction())) });
    QVERIFY(m_project > 0);
}

std::unique_ptr<PgConnection> TestPgGroupingRules::connect()
{
    auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("rules")));
    if (!connection) {
        qWarning() << connection.error().message;
        return nullptr;
    }
    return std::move(connection).value();
}

QList<WriteOutcome> TestPgGroupingRules::write(PgConnection &connection, const QList<IncomingEvent> &events)
{
    QList<const IncomingEvent *> pointers;
    for (const IncomingEvent &incoming : events)
        pointers.append(&incoming);
    auto written = PgBatchWriter(connection).write(pointers);
    if (!written) {
        qWarning() << written.error().message;
        return {};
    }
    return written->outcomes;
}

void TestPgGroupingRules::rulesApplyAtIngestAndComeOffWhenRemoved()
{
    const QJsonObject pydantic = fixtureEventJson(QStringLiteral("pydantic_validation_store"));
    const QJsonObject drf = fixtureEventJson(QStringLiteral("django_drf_validation_store"));
    const QJsonObject go = fixtureEventJson(QStringLiteral("go_exception_store"));
    auto seeded = write(*m_db,
        { current(pydantic, m_project, QStringLiteral("p1")), current(drf, m_project, QStringLiteral("d1")),
            current(go, m_project, QStringLiteral("g1")), current(go, m_project, QStringLiteral("g2")) });
    QCOMPARE(seeded.size(), 4);
    const qint64 pydanticIssue = seeded[0].issueId, drfIssue = seeded[1].issueId;
    PgIssueMerger merger(*m_db);
    PgGroupingRuleStore rules(*m_db);
    QString error;
    const auto merged = merger.merge({ pydanticIssue, drfIssue }, pydanticIssue, kStart, &error);
    QVERIFY2(merged, qPrintable(error));

    // The rule lists what it moved; the writer sends the merged key's next event where the merge put it.
    const QList<GroupingRule> listed = rules.forProject(m_project, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0].kind, QStringLiteral("merge"));
    QCOMPARE(listed[0].issueId, pydanticIssue);
    QCOMPARE(listed[0].hashes, QStringList { current(drf, m_project, QStringLiteral("d1")).issue.fingerprint });
    QCOMPARE(write(*m_db, { current(drf, m_project, QStringLiteral("d2")) }).value(0).issueId, pydanticIssue);

    // Removed: the merged key and its two events leave into an issue of their own, and the next follows them.
    QString done;
    QVERIFY2(rules.remove(merged->ruleId, &done, &error), qPrintable(error));
    QVERIFY2(done.startsWith(QStringLiteral("2 events out of #%1 into #").arg(pydanticIssue)), qPrintable(done));
    const qint64 drfAgain = done.section(u'#', 2).toLongLong();
    QVERIFY(drfAgain > 0 && drfAgain != pydanticIssue);
    QCOMPARE(write(*m_db, { current(drf, m_project, QStringLiteral("d3")) }).value(0).issueId, drfAgain);
    QCOMPARE(
        pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(drfAgain) }), 3);
    QCOMPARE(
        pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(pydanticIssue) }),
        1);
    QVERIFY(rules.forProject(m_project, &error).isEmpty());
    QVERIFY(!rules.remove(merged->ruleId, &done, &error));
    QCOMPARE(error, QStringLiteral("no grouping rule %1").arg(merged->ruleId));
    const QStringList wrong = pgInconsistencies(*m_db, m_project);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

void TestPgGroupingRules::regroupJoinsWhatV1SplitAsOnSqlite()
{
    // The events of tst_regroup's regroupJoinsWhatV1SplitAndKeepsEveryEvent, with the same expectations.
    const QJsonObject browser = fixtureEventJson(QStringLiteral("browser_exception_store"));
    const QJsonObject pydantic = fixtureEventJson(QStringLiteral("pydantic_validation_store"));
    const QJsonObject drf = fixtureEventJson(QStringLiteral("django_drf_validation_store"));
    const QJsonObject busted = withCacheBuster(browser, QStringLiteral("?v=2"));
    const auto outcomes = write(*m_db,
        { asV1(browser, m_project, QStringLiteral("1")), asV1(busted, m_project, QStringLiteral("2")),
            asV1(busted, m_project, QStringLiteral("3")), asV1(pydantic, m_project, QStringLiteral("4")),
            asV1(drf, m_project, QStringLiteral("5")), asV1(browser, m_project, QStringLiteral("6")) });
    QCOMPARE(outcomes.size(), 6);
    const qint64 plain = outcomes[0].issueId, split = outcomes[1].issueId;
    QVERIFY2(plain != split, "v1 splits the cache-buster");
    QString error;
    const auto merged = PgIssueMerger(*m_db).merge({ outcomes[3].issueId, outcomes[4].issueId }, 0, kStart, &error);
    QVERIFY2(merged, qPrintable(error));
    const PgParams project { PgParam::integer(m_project) };

    QList<qint64> progress;
    const RegroupReport report = PgGroupingRuleStore(*m_db).regroup(m_project, [&](qint64 done, qint64 total) {
        progress.append(done);
        return total == 6;
    });
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.events, 6);
    QCOMPARE(progress, QList<qint64> { 6 });
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"), project), 6);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM issues WHERE project_id = $1"), project), 2);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(plain) }), 4);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count FROM issues WHERE id = $1"),
                 { PgParam::integer(merged->survivorId) }),
        2);
    QCOMPARE(report.moved, 2);
    QCOMPARE(report.issuesDeleted, 1);
    QCOMPARE(report.newIssues, 0);
    QCOMPARE(pgNumber(*m_db,
                 QStringLiteral("SELECT count(*) FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id "
                                "WHERE e.project_id = $1 AND k.strategy = 'v2' AND k.explanation <> ''"),
                 project),
        6);
    QStringList wrong = pgInconsistencies(*m_db, m_project);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));

    // Later events follow: a new cache-buster and the DRF error.
    const auto later = write(*m_db,
        { current(withCacheBuster(browser, QStringLiteral("?v=3")), m_project, QStringLiteral("7")),
            current(drf, m_project, QStringLiteral("8")) });
    QCOMPARE(later.value(0).issueId, plain);
    QCOMPARE(later.value(1).issueId, merged->survivorId);
}

void TestPgGroupingRules::regroupWhileTwoCollectorsWrite()
{
    // Stored as v1 grouped them: cache-busters split one browser error into several issues,
    // and v1 joined the Pydantic and DRF errors under one key.
    const QJsonObject browser = fixtureEventJson(QStringLiteral("browser_exception_store"));
    const QJsonObject pydantic = fixtureEventJson(QStringLiteral("pydantic_validation_store"));
    const QJsonObject drf = fixtureEventJson(QStringLiteral("django_drf_validation_store"));
    QList<IncomingEvent> old;
    for (int n = 0; n < 120; ++n) {
        const QString id = QStringLiteral("old-%1").arg(n);
        if (n % 3 == 0)
            old.append(asV1(withCacheBuster(browser, QStringLiteral("?v=%1").arg(n % 4)), m_project, id));
        else
            old.append(asV1(n % 3 == 1 ? pydantic : drf, m_project, id));
        if (n % 3 == 2)
            old.last().issue.fingerprint = old[old.size() - 2].issue.fingerprint;
    }
    QVERIFY(!write(*m_db, old).isEmpty());
    const PgParams project { PgParam::integer(m_project) };

    // Two collectors keep writing current-strategy events of the same errors
    // (new cache-busters too) until re-grouping is done and each wrote a batch after it.
    std::atomic<bool> regrouped { false };
    std::atomic<int> batches { 0 };
    std::atomic<int> sent { 0 };
    QStringList errors[2];
    auto collector = [&](int index) {
        auto connection = connect();
        if (!connection)
            return errors[index].append(QStringLiteral("cannot connect"));
        for (int batch = 0; batch < 400; ++batch) {
            const bool last = regrouped.load();
            QList<IncomingEvent> events;
            for (int n = 0; n < 12; ++n) {
                const QString id = QStringLiteral("c%1-%2-%3").arg(index).arg(batch).arg(n);
                const QJsonObject &json = n % 3 == 0 ? browser : n % 3 == 1 ? pydantic : drf;
                events.append(current(
                    n % 3 == 0 ? withCacheBuster(json, QStringLiteral("?v=%1").arg(batch % 5)) : json, m_project, id));
            }
            const QList<WriteOutcome> outcomes = write(*connection, events);
            if (outcomes.size() != events.size())
                return errors[index].append(QStringLiteral("batch %1 not written").arg(batch));
            sent += int(events.size());
            ++batches;
            if (last)
                return;
        }
        errors[index].append(QStringLiteral("re-grouping never finished"));
    };
    std::thread first(collector, 0);
    std::thread second(collector, 1);
    // Started together: the collectors' first batches make the v2 keys the re-grouping wants too.
    auto own = connect();
    QVERIFY(own);
    const RegroupReport report = PgRegrouper(*own, 10).run(m_project);
    regrouped = true;
    first.join();
    second.join();
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0].join(u'\n')));
    QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1].join(u'\n')));
    QVERIFY(report.events >= 120); // the old ones, and what the collectors stored before it began

    // Every event stored once and counted once; the old events are under v2 keys now.
    const qint64 stored = 120 + sent.load();
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"), project), stored);
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT sum(count) FROM issues WHERE project_id = $1"), project), stored);
    QCOMPARE(pgNumber(*m_db,
                 QStringLiteral("SELECT count(*) FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id "
                                "WHERE e.project_id = $1 AND k.strategy = 'v1'"),
                 project),
        0);
    // One issue per error: the browser's cache-busters joined, Pydantic and DRF apart.
    QCOMPARE(pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM issues WHERE project_id = $1"), project), 3);
    const QStringList wrong = pgInconsistencies(*m_db, m_project);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestPgGroupingRules)
#include "tst_pg_grouping_rules.moc"
