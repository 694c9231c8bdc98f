// The dropped-events tables (issue 17): refusals counted per project, reason
// and hour with one bounded example each; client-report counts by hour since
// migration 14; both pruned by the project's age limit and gone with the project.
#include "storage/drop_log.h"
#include "storage/dropped_events.h"
#include "storage/migrations.h"
#include "storage/project_store.h"
#include "storage/retention.h"
#include "storage_test_helpers.h"

#include <sqlite3.h>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kHourMs = DroppedEventsStore::kHourMs;
constexpr qint64 kNowMs = 1'795'000'000'000; // 2026-11-17

DropRecord refusal(qint64 projectId, const QString &reason, qint64 receivedMs, const QByteArray &body = "{}")
{
    DropExample example;
    example.receivedMs = receivedMs;
    example.status = 413;
    example.size = body.size();
    example.peer = QStringLiteral("127.0.0.1:5000");
    example.request = QStringLiteral("POST /api/1/store/");
    example.head = body;
    example.answer = QStringLiteral("event of %1 bytes exceeds the limit").arg(body.size());
    return DropRecord { projectId, reason, 1, example };
}

const DropSummary *find(const QList<DropSummary> &rows, qint64 projectId, const QString &reason)
{
    for (const DropSummary &row : rows)
        if (row.projectId == projectId && row.reason == reason)
            return &row;
    return nullptr;
}

} // namespace

class TestDroppedEventsStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void init() { m_path = m_dir.filePath(QStringLiteral("drops-%1.db").arg(QTest::currentTestFunction())); }

    void countsMergeAndTheNewestExampleStays()
    {
        auto db = openOrFail(m_path);
        DroppedEventsStore store(*db);
        QString error;
        QVERIFY2(store.addRefusals({ refusal(1, "too_large", kNowMs - 1000, QByteArray(300, 'a')) }, kNowMs, &error),
            qPrintable(error));
        QVERIFY2(store.addRefusals({ refusal(1, "too_large", kNowMs, QByteArray(400, 'b')),
                                       refusal(1, "wrong_key", kNowMs), refusal(987654, "wrong_key", kNowMs) },
                     kNowMs, &error),
            qPrintable(error));
        const QList<DropSummary> rows = store.summaries(kNowMs);
        QCOMPARE(rows.size(), 3);
        const DropSummary *large = find(rows, 1, "too_large");
        QVERIFY(large);
        QCOMPARE(large->lastHour, 2);
        QCOMPARE(large->example->size, 400);
        QCOMPARE(large->example->head, QByteArray(DroppedEventsStore::kExampleBytes, 'b')); // never more
        QCOMPARE(rows.first().reason, QStringLiteral("too_large")); // the busiest first
        // An id no project has counts under none, so guessed ids cannot add rows.
        QVERIFY(find(rows, 0, "wrong_key"));
        QVERIFY(!find(rows, 987654, "wrong_key"));
    }

    void hoursFallIntoTheirColumns()
    {
        auto db = openOrFail(m_path);
        DroppedEventsStore store(*db);
        for (const qint64 age : { 0LL, 5 * kHourMs, 3 * 24 * kHourMs, 20 * 24 * kHourMs })
            QVERIFY(store.addRefusals({ refusal(1, "invalid", kNowMs - age) }, kNowMs - age));
        const DropSummary row = store.summaries(kNowMs).first();
        QCOMPARE(row.lastHour, 1);
        QCOMPARE(row.lastDay, 2);
        QCOMPARE(row.lastWeek, 3);
        QCOMPARE(row.kept, 4);
        QCOMPARE(row.hourly.size(), 24);
        QCOMPARE(row.hourly.at(23), 1);
        QCOMPARE(row.hourly.at(18), 1);
        QCOMPARE(row.example->receivedMs, kNowMs); // the newest one written
    }

    void clientReportsCountByHourAndRetentionPrunesBoth()
    {
        {
            // Through the writer, as the collector records them.
            EventWriter writer(m_path);
            QVERIFY(writer.start(nullptr));
            writer.recordDiscarded(1, QStringLiteral("queue_overflow"), QStringLiteral("error"), 4);
        }
        auto db = openOrFail(m_path);
        QCOMPARE(
            scalar(*db, QStringLiteral("SELECT hour FROM discarded")), QDateTime::currentMSecsSinceEpoch() / kHourMs);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 old = now - 40 * 24 * kHourMs;
        QVERIFY(execSql(db->handle(),
            QStringLiteral("INSERT INTO discarded(project_id, reason, category, hour, quantity) "
                           "VALUES (1, 'sample_rate', 'transaction', %1, 9)")
                .arg(old / kHourMs)
                .toUtf8()
                .constData()));
        DroppedEventsStore store(*db);
        QVERIFY(store.addRefusals({ refusal(1, "invalid", old) }, old));
        QVERIFY(store.addRefusals({ refusal(1, "too_large", now) }, now));
        QCOMPARE(store.summaries(now).size(), 4);

        const PruneReport report = Retention(*db).prune(ProjectSettings { 1, 30, 0, 0 }, now);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        const QList<DropSummary> rows = store.summaries(now);
        QCOMPARE(rows.size(), 2);
        QVERIFY(find(rows, 1, "client:queue_overflow"));
        QVERIFY(find(rows, 1, "too_large"));
        QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM refusal_examples")), 1);
    }

    void removingAProjectRemovesItsRefusals()
    {
        auto db = openOrFail(m_path);
        const StorageResult<Project> shop = ProjectStore(*db).add(QStringLiteral("shop"));
        QVERIFY(shop->id > 1);
        QVERIFY(DroppedEventsStore(*db).addRefusals(
            { refusal(shop->id, "invalid", kNowMs), refusal(1, "invalid", kNowMs) }, kNowMs));
        QVERIFY(ProjectStore(*db).remove(shop->id));
        const QList<DropSummary> rows = DroppedEventsStore(*db).summaries(kNowMs);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().projectId, 1);
    }

    void dropLogMergesUntilItWrites()
    {
        openOrFail(m_path);
        DropLog log(m_path, std::chrono::hours(1)); // only flush() writes here
        for (int i = 0; i < 1000; ++i)
            log.record(refusal(1, "rate_limited", kNowMs + i));
        for (int i = 0; i < DropLog::kMaxPendingKeys + 10; ++i)
            log.record(refusal(1, QStringLiteral("kind-%1").arg(i), kNowMs));
        QString error;
        QVERIFY2(log.flush(&error), qPrintable(error));
        auto db = openOrFail(m_path);
        const QList<DropSummary> rows = DroppedEventsStore(*db).summaries(QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(find(rows, 1, "rate_limited")->lastHour, 1000);
        QCOMPARE(find(rows, 1, "rate_limited")->example->receivedMs, kNowMs + 999);
        // Bounded: past the distinct kinds a write may carry, the rest count together.
        QCOMPARE(rows.size(), DropLog::kMaxPendingKeys + 1);
        QCOMPARE(find(rows, 0, "overflow")->lastHour, 11);
    }

    void migrationKeepsEarlierClientReportCounts()
    {
        qsizetype mine = 0;
        while (!QByteArray(schemaMigrations().at(mine)).contains("CREATE TABLE refusal_counts"))
            ++mine;
        {
            // A file as the migration before found it: `discarded` without hours, and
            // none of the later migrations applied (they may come after this one).
            sqlite3 *raw = nullptr;
            QCOMPARE(sqlite3_open(m_path.toUtf8().constData(), &raw), SQLITE_OK);
            // Migration 9 calls page_shape() on stored pages; this file has none, but
            // SQLite resolves the function when it prepares the statement.
            sqlite3_create_function_v2(
                raw, "page_shape", 1, SQLITE_UTF8, nullptr,
                [](sqlite3_context *context, int, sqlite3_value **) { sqlite3_result_null(context); }, nullptr, nullptr,
                nullptr);
            bool ok = true;
            QString error;
            for (qsizetype version = 0; ok && version < mine; ++version)
                ok = execSql(raw, schemaMigrations().at(version), &error);
            const QByteArray old
                = "INSERT INTO projects(id, name, public_key, created_ms) VALUES (1, 'default', 'k', 0);"
                  "INSERT INTO discarded VALUES (1, 'ratelimit_backoff', 'error', 17);"
                  "PRAGMA user_version = "
                + QByteArray::number(mine) + ";";
            ok = ok && execSql(raw, old.constData(), &error);
            sqlite3_close(raw);
            QVERIFY2(ok, qPrintable(error));
        }
        auto db = openOrFail(m_path);
        QCOMPARE(db->schemaVersion(), latestSchemaVersion());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<DropSummary> rows = DroppedEventsStore(*db).summaries(now); // find() points into it
        const DropSummary *row = find(rows, 1, "client:ratelimit_backoff");
        QVERIFY(row);
        QCOMPARE(row->lastHour, 17); // dated the hour of the migration
        QCOMPARE(row->category, QStringLiteral("error"));
    }
};

QTEST_GUILESS_MAIN(TestDroppedEventsStore)
#include "tst_dropped_events_store.moc"
