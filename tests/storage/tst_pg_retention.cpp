// Retention on PostgreSQL (#18) on a throw-away server, with events written
// by the real batch writer: an expired month's partitions are dropped whole
// (no row deletes), its issues lose those events from their counters as on
// SQLite, issues left empty go, bodies no event uses go, the month's
// deduplication keys go; a month some project still keeps stops the run, and
// a count limit lets a month go when newer events fill it.
#include "storage_test_helpers.h"

#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_retention.h"
#include "storage/retention_scheduler.h"
#include "support/example_pages.h"
#include "support/pg_number.h"
#include "support/postgres_database.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kDay = 24LL * 3600 * 1000;
constexpr qint64 kAugust = 1'785'600'000'000; // 2026-08-01T16:00Z
constexpr qint64 kSeptember = kAugust + 31 * kDay;
constexpr qint64 kOctober = kSeptember + 30 * kDay;
constexpr qint64 kNow = kOctober + 45 * kDay; // mid-November

Attachment page(const QString &requestId)
{
    return IncomingEvent::prepareAttachment(
        Attachment { QStringLiteral("500.html"), QStringLiteral("text/html"), QStringLiteral("event.attachment"),
            exampleServicePage(QStringLiteral("500.html"), requestId) },
        0);
}

} // namespace

class TestPgRetention : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void dropsExpiredMonthsWhole();
    void collectorsSchedulerDropsOnPostgres();

private:
    qint64 number(const QString &sql, const PgParams &params = {});
    qint64 write(QList<IncomingEvent> events);

    PostgresCluster m_cluster;
    std::unique_ptr<PgConnection> m_db;
};

void TestPgRetention::initTestCase()
{
    QString failed;
    m_db = startMigrated(m_cluster, QStringLiteral("retention"), &failed);
    QVERIFY2(m_db, qPrintable(failed));
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO projects(id, name, public_key, created_ms) VALUES "
                                      "(1, 'web', 'k1', 0), (2, 'jobs', 'k2', 0)")));
}

qint64 TestPgRetention::number(const QString &sql, const PgParams &params) { return pgNumber(*m_db, sql, params); }

qint64 TestPgRetention::write(QList<IncomingEvent> events)
{
    QList<const IncomingEvent *> pointers;
    for (const IncomingEvent &event : events)
        pointers.append(&event);
    PgBatchWriter writer(*m_db);
    auto result = writer.write(pointers);
    if (!result) {
        qWarning() << result.error().message;
        return -1;
    }
    return result->outcomes.constFirst().issueId;
}

void TestPgRetention::dropsExpiredMonthsWhole()
{
    // web (30 days): "only-august" in August alone; "lasting" in August and
    // October; one page shared by an August and an October event, one only in August.
    QList<IncomingEvent> august;
    for (int i = 0; i < 4; ++i)
        august.append(makeEvent(QStringLiteral("aug-%1").arg(i), QStringLiteral("only-august"),
            QStringLiteral("Gone in August"), kAugust + i, 1));
    august[0].attachments.append(page(QStringLiteral("only-in-august")));
    august[1].attachments.append(page(QStringLiteral("shared")));
    const qint64 onlyAugust = write(august);
    IncomingEvent lastingAugust
        = makeEvent(QStringLiteral("last-aug"), QStringLiteral("lasting"), QStringLiteral("Lasting"), kAugust + 100, 1);
    const qint64 lasting = write({ lastingAugust });
    QList<IncomingEvent> october;
    for (int i = 0; i < 3; ++i)
        october.append(makeEvent(
            QStringLiteral("oct-%1").arg(i), QStringLiteral("lasting"), QStringLiteral("Lasting"), kOctober + i, 1));
    october[0].attachments.append(page(QStringLiteral("shared")));
    QCOMPARE(write(october), lasting);
    // jobs (90 days, at most 2 events): September, then two in October.
    QVERIFY(
        write({ makeEvent(QStringLiteral("sep-jobs"), QStringLiteral("jobs"), QStringLiteral("Job"), kSeptember, 2) })
        > 0);
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO project_settings(project_id, max_age_days, max_events, "
                                      "events_per_minute) VALUES (1, 30, 0, 0), (2, 90, 0, 0)")));
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO refusal_counts(project_id, reason, hour, count) VALUES "
                                      "(1, 'too_large', $1, 5), (1, 'too_large', $2, 7)"),
        { PgParam::integer(kAugust / 3'600'000), PgParam::integer((kNow - kDay) / 3'600'000) }));
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM attachment_blobs")), 2);
    QCOMPARE(number(QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(lasting) }), 4);

    PgRetention retention(*m_db);
    auto settings = retention.projectSettings();
    QVERIFY(settings);
    QCOMPARE(settings->size(), 2);
    auto plan = retention.plan(settings.value(), kNow);
    QVERIFY2(plan, qPrintable(plan.error().message));
    QCOMPARE(plan->size(), 3);
    QVERIFY(plan->at(0).expired);
    QCOMPARE(plan->at(0).events, 5);
    QVERIFY(!plan->at(1).expired);
    QCOMPARE(plan->at(1).keptBecause, QStringLiteral("project 2 keeps events for 90 days"));
    QVERIFY(!plan->at(2).expired);
    QCOMPARE(plan->at(2).keptBecause, QStringLiteral("an older month is kept"));

    auto report = retention.prune(settings.value(), kNow);
    QVERIFY2(report, qPrintable(report.error().message));
    QCOMPARE(report->dropped.size(), 1);
    QCOMPARE(report->eventsDeleted(), 5);
    QCOMPARE(report->issuesDeleted(), 1);
    QCOMPARE(report->eventKeysDeleted, 5);
    QCOMPARE(report->keptBecause, QStringLiteral("project 2 keeps events for 90 days"));
    // The month's tables are gone, not emptied.
    for (const char *table : { "events_p2026_08", "event_tags_p2026_08", "attachments_p2026_08" })
        QCOMPARE(number(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = $1"),
                     { PgParam::text(QLatin1String(table)) }),
            0);
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM events")), 4);
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM event_ids")), 4);
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM issues WHERE id = $1"), { PgParam::integer(onlyAugust) }), 0);
    QCOMPARE(number(QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(lasting) }), 3);
    QCOMPARE(number(QStringLiteral("SELECT first_seen_ms FROM issues WHERE id = $1"), { PgParam::integer(lasting) }),
        kOctober);
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM attachment_blobs")), 1); // the shared page stays
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM attachments")), 1);
    QCOMPARE(number(QStringLiteral("SELECT sum(count) FROM refusal_counts")), 7);

    // A key and a detached month left behind by a run that stopped half way go next time.
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO event_ids(project_id, event_id, received_ms, event_row) "
                                      "VALUES (1, 'left-behind', $1, 999999)"),
        { PgParam::integer(kAugust) }));
    QVERIFY(m_db->exec(QStringLiteral("CREATE TABLE event_tags_p2026_07 (LIKE event_tags)")));
    auto again = retention.prune(settings.value(), kNow);
    QVERIFY(again);
    QCOMPARE(again->dropped.size(), 0);
    QCOMPARE(again->eventKeysDeleted, 1);
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'event_tags_p2026_07'")), 0);
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'event_tags_p2026_09'")), 1);

    // jobs keeps at most 1 event: its October event alone fills that, so September goes.
    QVERIFY(write({ makeEvent(QStringLiteral("oct-jobs"), QStringLiteral("jobs"), QStringLiteral("Job"), kOctober, 2) })
        > 0);
    settings.value()[1].maxEvents = 1;
    auto byCount = retention.prune(settings.value(), kNow);
    QVERIFY2(byCount, qPrintable(byCount.error().message));
    QCOMPARE(byCount->dropped.size(), 1);
    QCOMPARE(byCount->dropped.constFirst().month.suffix, QStringLiteral("p2026_09"));
    QVERIFY(byCount->keptBecause.contains(QLatin1String("keeps events")));
    QCOMPARE(number(QStringLiteral("SELECT count(*) FROM events")), 4);

    // The month holding now never goes, whatever the limits.
    for (ProjectSettings &project : settings.value())
        project.maxAgeDays = 1;
    auto late = retention.prune(settings.value(), kOctober + 2 * kDay);
    QVERIFY(late);
    QCOMPARE(late->dropped.size(), 0);
    QVERIFY(late->keptBecause.contains(QLatin1String("not over yet")));
}

// The collector's scheduler (storage/retention_scheduler.h) runs the same
// retention when --db names PostgreSQL, on a connection of its own.
void TestPgRetention::collectorsSchedulerDropsOnPostgres()
{
    QVERIFY2(m_cluster.createDatabase(QStringLiteral("scheduled")), qPrintable(m_cluster.error()));
    const QString uri = m_cluster.uri(QStringLiteral("scheduled"));
    auto connection = PgConnection::open(uri);
    QVERIFY2(connection, qPrintable(connection.error().message));
    PgConnection &db = *connection.value();
    QVERIFY(migratePostgres(db));
    QVERIFY(
        db.exec(QStringLiteral("INSERT INTO projects(id, name, public_key, created_ms) VALUES (7, 'web', 'k7', 0)")));
    QVERIFY(db.exec(QStringLiteral("INSERT INTO project_settings(project_id, max_age_days, max_events, "
                                   "events_per_minute) VALUES (7, 30, 0, 0)")));
    // Four months ago (a month long gone for a 30-day limit), and today.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QList<IncomingEvent> old;
    for (int i = 0; i < 3; ++i)
        old.append(makeEvent(
            QStringLiteral("old-%1").arg(i), QStringLiteral("old"), QStringLiteral("Old"), nowMs - 120 * kDay + i, 7));
    const IncomingEvent recent
        = makeEvent(QStringLiteral("today"), QStringLiteral("new"), QStringLiteral("New"), nowMs, 7);
    PgBatchWriter writer(db);
    for (const IncomingEvent &event : old)
        QVERIFY(writer.write({ &event }));
    QVERIFY(writer.write({ &recent }));

    RetentionScheduler scheduler(uri);
    QSignalSpy finished(&scheduler, &RetentionScheduler::finished);
    QVERIFY(scheduler.runNow());
    QVERIFY(finished.wait(60'000));
    const auto report = finished.constFirst().constFirst().value<PruneReport>();
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 3);
    QCOMPARE(report.issuesDeleted, 1);
    auto left = db.exec(QStringLiteral("SELECT count(*) FROM events"));
    QVERIFY(left);
    QCOMPARE(left->int64(0, 0), 1);
}

QTEST_GUILESS_MAIN(TestPgRetention)
#include "tst_pg_retention.moc"
