// Retention: pruning by age and by count through real written events, issue
// fix-up, attachments, the full-text index, shrinking the file, pruning while
// the writer commits, cancelling, and the background scheduler.
#include "storage_test_helpers.h"

#include "storage/database_stats.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/retention.h"
#include "storage/retention_scheduler.h"
#include "storage/statement.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QThread>

#include <atomic>
#include <thread>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
constexpr qint64 kNowMs = 1'750'000'000'000;

qint64 daysAgo(double days) { return kNowMs - qint64(days * double(kDayMs)); }

QStringList eventIds(Database &db, qint64 projectId)
{
    Statement select(db.handle(), QStringLiteral("SELECT event_id FROM events WHERE project_id = ? ORDER BY event_id"));
    select.bind(1, projectId);
    QStringList ids;
    while (select.step())
        ids.append(testEventName(select.text(0)));
    return ids;
}

struct IssueState {
    qint64 count = -1;
    qint64 firstSeenMs = -1;
    qint64 lastSeenMs = -1;
};

// nullopt when the issue is gone.
std::optional<IssueState> issueState(Database &db, qint64 projectId, const QString &fingerprint)
{
    Statement select(db.handle(),
        QStringLiteral(
            "SELECT count, first_seen_ms, last_seen_ms FROM issues WHERE project_id = ? AND fingerprint = ?"));
    select.bindAll({ projectId, fingerprint });
    if (!select.step())
        return std::nullopt;
    return IssueState { select.int64(0), select.int64(1), select.int64(2) };
}

// Text that neither zstd nor the page layout squeezes much.
QString noise(int bytes)
{
    QString text;
    text.reserve(bytes);
    auto *random = QRandomGenerator::global();
    while (text.size() < bytes)
        text += QString::number(random->generate64(), 36) + u' ';
    return text;
}

} // namespace

class TestRetention : public QObject {
    Q_OBJECT

private slots:
    void init();
    void prunesByAge();
    void prunesByCount();
    void ageAndCountTogether();
    void noLimitsKeepsEverything();
    void attachmentsAndSharedBodies();
    void fileShrinksAfterBigPrune();
    void pruneWhileWriterCommits();
    void progressCanCancel();
    void schedulerPrunesEveryProject();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestRetention::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("faultline.db"));
    QVERIFY(openOrFail(m_path));
}

void TestRetention::prunesByAge()
{
    auto db = openOrFail(m_path);
    const qint64 other = ProjectStore(*db).add(QStringLiteral("other"))->id;
    auto tagged = makeEvent(QStringLiteral("a1"), QStringLiteral("A"), QStringLiteral("Alpha failure"), daysAgo(100), 1,
        [](QJsonObject &json) {
            json.insert(
                QStringLiteral("tags"), QJsonObject { { QStringLiteral("browser"), QStringLiteral("firefox") } });
        });
    const auto outcomes = writeAll(m_path,
        { tagged, makeEvent(QStringLiteral("a2"), QStringLiteral("A"), QStringLiteral("Alpha failure"), daysAgo(95)),
            makeEvent(QStringLiteral("a3"), QStringLiteral("A"), QStringLiteral("Alpha failure"), daysAgo(50)),
            makeEvent(QStringLiteral("a4"), QStringLiteral("A"), QStringLiteral("Alpha failure"), daysAgo(10)),
            makeEvent(QStringLiteral("b1"), QStringLiteral("B"), QStringLiteral("Bravo crash"), daysAgo(120)),
            makeEvent(QStringLiteral("b2"), QStringLiteral("B"), QStringLiteral("Bravo crash"), daysAgo(91)),
            makeEvent(QStringLiteral("o1"), QStringLiteral("B"), QStringLiteral("Other crash"), daysAgo(300), other),
            makeEvent(QStringLiteral("o2"), QStringLiteral("C"), QStringLiteral("Other crash"), daysAgo(1), other) });
    QCOMPARE(outcomes.size(), 8);
    for (const WriteOutcome &outcome : outcomes)
        QVERIFY2(outcome.committed, qPrintable(outcome.error));

    Retention retention(*db, 2); // several transactions for four events
    const ProjectSettings settings { 1, 90, 0, 0 };
    const PrunePlan plan = retention.plan(settings, kNowMs, true);
    QCOMPARE(plan.totalEvents, 6);
    QCOMPARE(plan.eventsToDelete, 4);
    QCOMPARE(plan.issuesToDelete, 1);

    QList<std::pair<qint64, qint64>> steps;
    const PruneReport report = retention.prune(settings, kNowMs, [&](qint64 deleted, qint64 total) {
        steps.append({ deleted, total });
        return true;
    });
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 4);
    QCOMPARE(report.issuesDeleted, 1);
    QVERIFY(!report.cancelled);
    QCOMPARE(steps, (QList<std::pair<qint64, qint64>> { { 2, 4 }, { 4, 4 } }));

    QCOMPARE(eventIds(*db, 1), (QStringList { QStringLiteral("a3"), QStringLiteral("a4") }));
    const auto alpha = issueState(*db, 1, QStringLiteral("A"));
    QVERIFY(alpha);
    QCOMPARE(alpha->count, 2);
    QCOMPARE(alpha->firstSeenMs, daysAgo(50));
    QCOMPARE(alpha->lastSeenMs, daysAgo(10));
    QVERIFY(!issueState(*db, 1, QStringLiteral("B"))); // every event gone, so the issue is too

    // The other project keeps even its 300-day-old event.
    QCOMPARE(eventIds(*db, other), (QStringList { QStringLiteral("o1"), QStringLiteral("o2") }));
    QCOMPARE(issueState(*db, other, QStringLiteral("B"))->count, 1);

    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM event_tags")), 0);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'bravo'")), 0);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'alpha'")), 2);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'other'")), 2);
    // The FTS index is consistent with its content table.
    QVERIFY(execSql(db->handle(), "INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1)"));

    // A second prune finds nothing more.
    const PruneReport again = retention.prune(settings, kNowMs);
    QCOMPARE(again.eventsDeleted, 0);
    QCOMPARE(again.issuesDeleted, 0);
}

void TestRetention::prunesByCount()
{
    auto db = openOrFail(m_path);
    QList<IncomingEvent> events;
    // e00..e09, one a minute: W gets e00 only, then X gets 3,6,9; Y 1,4,7; Z 2,5,8.
    const QStringList fingerprints { QStringLiteral("X"), QStringLiteral("Y"), QStringLiteral("Z") };
    const qint64 startMs = daysAgo(2);
    for (int i = 0; i < 10; ++i) {
        const QString fingerprint = i == 0 ? QStringLiteral("W") : fingerprints[i % 3];
        events.append(makeEvent(QStringLiteral("e%1").arg(i, 2, 10, QLatin1Char('0')), fingerprint,
            QStringLiteral("Issue ") + fingerprint, startMs + i * 60'000));
    }
    // Same receive time as e09: the tie goes by insertion order.
    events.append(
        makeEvent(QStringLiteral("e10"), QStringLiteral("Z"), QStringLiteral("Issue Z"), startMs + 9 * 60'000));
    QCOMPARE(writeAll(m_path, events).size(), 11);

    Retention retention(*db, 3);
    const ProjectSettings settings { 1, 0, 4, 0 };
    const PrunePlan plan = retention.plan(settings, kNowMs, true);
    QCOMPARE(plan.eventsToDelete, 7);
    QCOMPARE(plan.issuesToDelete, 1);
    const PruneReport report = retention.prune(settings, kNowMs);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 7);
    QCOMPARE(report.issuesDeleted, 1);
    QCOMPARE(eventIds(*db, 1),
        (QStringList { QStringLiteral("e07"), QStringLiteral("e08"), QStringLiteral("e09"), QStringLiteral("e10") }));
    QVERIFY(!issueState(*db, 1, QStringLiteral("W")));
    const auto x = issueState(*db, 1, QStringLiteral("X"));
    QVERIFY(x);
    QCOMPARE(x->count, 1);
    QCOMPARE(x->firstSeenMs, startMs + 9 * 60'000);
    QCOMPARE(x->lastSeenMs, startMs + 9 * 60'000);
    const auto y = issueState(*db, 1, QStringLiteral("Y"));
    QVERIFY(y);
    QCOMPARE(y->count, 1);
    QCOMPARE(y->firstSeenMs, startMs + 7 * 60'000);
    QCOMPARE(y->lastSeenMs, startMs + 7 * 60'000);
    const auto z = issueState(*db, 1, QStringLiteral("Z"));
    QVERIFY(z);
    QCOMPARE(z->count, 2);
    QCOMPARE(z->firstSeenMs, startMs + 8 * 60'000);
    QCOMPARE(z->lastSeenMs, startMs + 9 * 60'000);
}

void TestRetention::ageAndCountTogether()
{
    auto db = openOrFail(m_path);
    QList<IncomingEvent> events;
    for (int i = 0; i < 6; ++i) // 60, 50, …, 10 days old
        events.append(makeEvent(
            QStringLiteral("e%1").arg(i), QStringLiteral("F"), QStringLiteral("Failure"), daysAgo(60 - 10 * i)));
    writeAll(m_path, events);
    Retention retention(*db);

    // Age removes two, count would remove three: the longer prefix wins.
    const ProjectSettings countWins { 1, 45, 3, 0 };
    QCOMPARE(retention.plan(countWins, kNowMs).eventsToDelete, 3);
    QCOMPARE(retention.prune(countWins, kNowMs).eventsDeleted, 3);
    QCOMPARE(eventIds(*db, 1), (QStringList { QStringLiteral("e3"), QStringLiteral("e4"), QStringLiteral("e5") }));

    // Age removes two more, count none.
    const ProjectSettings ageWins { 1, 15, 3, 0 };
    QCOMPARE(retention.plan(ageWins, kNowMs).eventsToDelete, 2);
    QCOMPARE(retention.prune(ageWins, kNowMs).eventsDeleted, 2);
    QCOMPARE(eventIds(*db, 1), QStringList { QStringLiteral("e5") });
    QCOMPARE(issueState(*db, 1, QStringLiteral("F"))->count, 1);
}

void TestRetention::noLimitsKeepsEverything()
{
    auto db = openOrFail(m_path);
    writeAll(m_path, { makeEvent(QStringLiteral("ancient"), QStringLiteral("F"), QStringLiteral("F"), daysAgo(5000)) });
    const PruneReport report = Retention(*db).prune(ProjectSettings { 1, 0, 0, 0 }, kNowMs);
    QVERIFY(report.error.isEmpty());
    QCOMPARE(report.eventsDeleted, 0);
    QCOMPARE(eventIds(*db, 1), QStringList { QStringLiteral("ancient") });
}

void TestRetention::attachmentsAndSharedBodies()
{
    auto db = openOrFail(m_path);
    const Attachment shared { QStringLiteral("500.html"), QStringLiteral("text/html"), {}, "<h1>Server Error</h1>" };
    const Attachment onlyOld { QStringLiteral("dump.txt"), QStringLiteral("text/plain"), {}, "only the old one" };
    auto old = makeEvent(QStringLiteral("old"), QStringLiteral("F"), QStringLiteral("F"), daysAgo(100));
    old.attachments = { shared, onlyOld };
    auto recent = makeEvent(QStringLiteral("new"), QStringLiteral("F"), QStringLiteral("F"), daysAgo(1));
    recent.attachments = { shared };
    writeAll(m_path, { old, recent });
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM attachments")), 3);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM attachment_blobs")), 2);

    const PruneReport report = Retention(*db).prune(ProjectSettings { 1, 30, 0, 0 }, kNowMs);
    QCOMPARE(report.eventsDeleted, 1);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM attachments")), 1);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM attachment_blobs")), 1);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM attachment_blobs WHERE data = ?"), { shared.data }), 1);

    // Once the last event using it goes, so does the shared body.
    QCOMPARE(Retention(*db).prune(ProjectSettings { 1, 0, 0, 0 }, kNowMs + 10 * kDayMs).eventsDeleted, 0);
    QCOMPARE(Retention(*db).prune(ProjectSettings { 1, 1, 0, 0 }, kNowMs + 10 * kDayMs).eventsDeleted, 1);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM attachments")), 0);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM attachment_blobs")), 0);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM issues")), 0);
}

void TestRetention::fileShrinksAfterBigPrune()
{
    QList<IncomingEvent> events;
    for (int i = 0; i < 1500; ++i) {
        events.append(makeEvent(
            QStringLiteral("big%1").arg(i), QStringLiteral("F%1").arg(i % 20), noise(4000), daysAgo(200) + i));
    }
    events.append(makeEvent(QStringLiteral("keep"), QStringLiteral("K"), QStringLiteral("Kept"), daysAgo(1)));
    QCOMPARE(writeAll(m_path, events).size(), 1501);

    auto db = openOrFail(m_path);
    QCOMPARE(scalar(*db, QStringLiteral("PRAGMA auto_vacuum")), 2); // incremental
    execSql(db->handle(), "PRAGMA wal_checkpoint(TRUNCATE)");
    const qint64 before = databaseFileSize(*db);
    QVERIFY2(before > 8'000'000, qPrintable(QString::number(before)));

    const PruneReport report = Retention(*db).prune(ProjectSettings { 1, 90, 0, 0 }, kNowMs);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 1500);
    QCOMPARE(report.issuesDeleted, 20);
    const qint64 after = databaseFileSize(*db);
    QCOMPARE(scalar(*db, QStringLiteral("PRAGMA freelist_count")), 0);
    // The full-text index was most of it: its merge matters as much as the vacuum.
    QVERIFY2(after < before / 20, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    QCOMPARE(report.bytesFreed, before - after);
    QCOMPARE(eventIds(*db, 1), QStringList { QStringLiteral("keep") });
    QCOMPARE(
        scalar(*db, QStringLiteral("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'")), 0);
}

void TestRetention::pruneWhileWriterCommits()
{
    // 3000 old events to prune; meanwhile at least 1500 new ones arrive in small
    // batches, and the producer keeps going until the prune has made progress
    // (on a slow or busy machine the first 1500 may all land before it starts).
    QList<IncomingEvent> old;
    for (int i = 0; i < 3000; ++i)
        old.append(makeEvent(
            QStringLiteral("old%1").arg(i), QStringLiteral("F%1").arg(i % 7), QStringLiteral("Old"), daysAgo(100) + i));
    QCOMPARE(writeAll(m_path, old).size(), 3000);

    WriterOptions options;
    options.maxBatch = 8; // many short transactions competing with ours
    EventWriter writer(m_path, options);
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    std::atomic_int queued = 0;
    std::atomic_int answered = 0;
    std::atomic_int committed = 0;
    std::atomic_bool submitting = true;
    std::atomic_bool pruneProgressed = false;
    std::atomic_int submitted = 0;
    std::thread producer([&] {
        for (int i = 0; i < 1500 || (!pruneProgressed && i < 20000); ++i, ++submitted) {
            // Same fingerprints as the old events: their issues must survive with the new events.
            const bool taken
                = writer.enqueue({ makeEvent(QStringLiteral("new%1").arg(i), QStringLiteral("F%1").arg(i % 7),
                                     QStringLiteral("New"), daysAgo(0.5)) },
                    [&](const WriteOutcome &outcome) {
                        committed += outcome.committed ? 1 : 0;
                        ++answered;
                    });
            queued += taken ? 1 : 0;
            // Paced like a service sending events (a load, not a wait for anything): flat
            // out, the producer would only measure how fast it can fill the queue.
            if (i % 10 == 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        submitting = false;
    });

    auto db = openOrFail(m_path);
    Retention retention(*db, 100);
    qint64 batchesSeenWhileSubmitting = 0;
    int submittedBeforeFirstProgress = -1;
    const PruneReport report = retention.prune(ProjectSettings { 1, 90, 0, 0 }, kNowMs, [&](qint64, qint64) {
        batchesSeenWhileSubmitting += submitting ? 1 : 0;
        if (!pruneProgressed)
            submittedBeforeFirstProgress = submitted;
        pruneProgressed = true;
        return true;
    });
    producer.join();
    QVERIFY(submitted >= 1500);
    QCOMPARE(queued.load(), submitted.load());
    QTRY_COMPARE_WITH_TIMEOUT(answered.load(), submitted.load(), 60000);
    QCOMPARE(committed.load(), submitted.load());
    writer.stop();
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 3000);
    QCOMPARE(report.issuesDeleted, 0); // the new events keep every issue alive
    QVERIFY2(batchesSeenWhileSubmitting > 0, "the prune did not overlap the writer");
    // Between back-to-back commits the lock is free for microseconds only; a prune
    // that polled for it the way SQLite's own busy handler does waited behind
    // thousands of new events (1,640 to 20,000 in four runs under ASan).
    QVERIFY2(submittedBeforeFirstProgress < 1500,
        qPrintable(QStringLiteral("the prune waited until %1 new events were in").arg(submittedBeforeFirstProgress)));
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM events WHERE event_id LIKE ?"),
                 { testEventIdPrefix(QStringLiteral("new")) + QLatin1Char('%') }),
        submitted);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM events WHERE event_id LIKE ?"),
                 { testEventIdPrefix(QStringLiteral("old")) + QLatin1Char('%') }),
        0);
    // Counts stayed exact although both sides changed them.
    QCOMPARE(scalar(*db,
                 QStringLiteral("SELECT count(*) FROM issues WHERE count != "
                                "(SELECT count(*) FROM events WHERE events.issue_id = issues.id)")),
        0);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT sum(count) FROM issues")), submitted);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT min(first_seen_ms) FROM issues")), daysAgo(0.5));
}

void TestRetention::progressCanCancel()
{
    QList<IncomingEvent> events;
    for (int i = 0; i < 50; ++i)
        events.append(
            makeEvent(QStringLiteral("e%1").arg(i), QStringLiteral("F"), QStringLiteral("F"), daysAgo(100) + i));
    writeAll(m_path, events);
    auto db = openOrFail(m_path);
    int calls = 0;
    const PruneReport report
        = Retention(*db, 10).prune(ProjectSettings { 1, 90, 0, 0 }, kNowMs, [&](qint64 deleted, qint64 total) {
              ++calls;
              return !(deleted == 20 && total == 50);
          });
    QCOMPARE(calls, 2);
    QVERIFY(report.cancelled);
    QCOMPARE(report.eventsDeleted, 20);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM events")), 30);
    const auto issue = issueState(*db, 1, QStringLiteral("F"));
    QCOMPARE(issue->count, 30); // committed batches are consistent on their own
    QCOMPARE(issue->firstSeenMs, daysAgo(100) + 20);
}

void TestRetention::schedulerPrunesEveryProject()
{
    {
        auto db = openOrFail(m_path);
        const qint64 other = ProjectStore(*db).add(QStringLiteral("other"))->id;
        // Project 1 keeps the default 90 days; the other keeps 2 events.
        QVERIFY(ProjectSettingsStore(*db).set(ProjectSettings { other, 0, 2, 0 }));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        writeAll(m_path,
            { makeEvent(QStringLiteral("gone"), QStringLiteral("F"), QStringLiteral("F"), now - 100 * kDayMs),
                makeEvent(QStringLiteral("kept"), QStringLiteral("F"), QStringLiteral("F"), now - 80 * kDayMs),
                makeEvent(QStringLiteral("o1"), QStringLiteral("F"), QStringLiteral("F"), now - 3000, other),
                makeEvent(QStringLiteral("o2"), QStringLiteral("F"), QStringLiteral("F"), now - 2000, other),
                makeEvent(QStringLiteral("o3"), QStringLiteral("F"), QStringLiteral("F"), now - 1000, other) });
    }

    RetentionScheduler scheduler(m_path, RetentionSchedule { std::chrono::milliseconds(10), std::chrono::hours(1) });
    QSignalSpy finished(&scheduler, &RetentionScheduler::finished);
    QList<std::pair<qint64, qint64>> progress;
    bool progressOnOwnThread = true;
    connect(&scheduler, &RetentionScheduler::progress, [&](qint64 done, qint64 total) {
        progressOnOwnThread = progressOnOwnThread && QThread::currentThread() == thread();
        progress.append({ done, total });
    });
    scheduler.start();
    QVERIFY(finished.wait(10000));
    const auto report = finished.first().first().value<PruneReport>();
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 2);
    QCOMPARE(report.issuesDeleted, 0);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), (std::pair<qint64, qint64> { 2, 2 }));
    QVERIFY(progressOnOwnThread);

    auto db = openOrFail(m_path);
    QCOMPARE(eventIds(*db, 1), QStringList { QStringLiteral("kept") });
    QCOMPARE(eventIds(*db, 2), (QStringList { QStringLiteral("o2"), QStringLiteral("o3") }));

    // The next run is an hour away; runNow does not wait for it, and finds nothing.
    QVERIFY(!scheduler.isRunning());
    QVERIFY(scheduler.runNow());
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.last().first().value<PruneReport>().eventsDeleted, 0);
}

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
