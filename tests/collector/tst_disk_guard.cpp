// Issue 17: below the free-space threshold on the database's disk the collector
// answers 507 with a JSON error naming the problem (instead of failing commits),
// /health says so, and ingest resumes by itself when space returns. The free
// space comes from a simulated source the test controls, not a full disk.
#include "collector/collector.h"
#include "storage/database.h"
#include "storage/dropped_events.h"
#include "storage/event_writer.h"
#include "storage/project_store.h"
#include "support/fixture_replay.h"
#include "support/http_client.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace faultline;
using namespace faultline::test;

namespace {
constexpr qint64 kGiB = qint64(1) << 30;
}

class TestDiskGuard : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<EventWriter> m_writer;
    std::unique_ptr<Collector> m_collector;
    Project m_project;
    std::shared_ptr<std::atomic<qint64>> m_free = std::make_shared<std::atomic<qint64>>(50 * kGiB);

    RawResponse health() const
    {
        return sendRaw(m_collector->port(), buildRequest("GET", "/health", {}, QByteArray()));
    }

    RawResponse sendEvent() const
    {
        return replay(m_collector->port(), QStringLiteral("python_exception_store"), m_project.id, m_project.publicKey);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_dbPath = m_dir.filePath(QStringLiteral("disk.db"));
        QString error;
        {
            auto db = Database::open(m_dbPath, Database::Mode::ReadWrite, &error);
            QVERIFY2(db, qPrintable(error));
            m_project = ProjectStore(*db).all().first();
        }
        m_writer = std::make_unique<EventWriter>(m_dbPath);
        QVERIFY2(m_writer->start(&error), qPrintable(error));
        CollectorOptions options;
        options.http.port = 0;
        options.diskGuard.checkInterval = std::chrono::milliseconds(0); // every request reads the source
        options.diskGuard.source = [free = m_free]() -> std::optional<FreeSpace> {
            return FreeSpace { free->load(), 100 * kGiB };
        };
        m_collector = std::make_unique<Collector>(options, m_dbPath, *m_writer);
        QVERIFY2(m_collector->start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        m_collector.reset();
        m_writer.reset();
    }

    void thresholdIsTheSmallerOfSizeAndShare()
    {
        DiskGuard guard(DiskGuardOptions {});
        QCOMPARE(guard.thresholdBytes(FreeSpace { 0, 100 * kGiB }), kGiB); // 5 % would be 5 GiB
        QCOMPARE(guard.thresholdBytes(FreeSpace { 0, 10 * kGiB }), 10 * kGiB / 100 * 5); // 512 MiB < 1 GiB
        DiskGuard off(DiskGuardOptions { 0, 0, std::chrono::seconds(1), [] { return FreeSpace { 0, 1 }; } });
        QVERIFY(!off.check().low);
    }

    void refusesWithA507WhileTheDiskIsLowAndResumes()
    {
        QCOMPARE(sendEvent().status, 200);
        RawResponse healthy = health();
        QCOMPARE(healthy.status, 200);
        QCOMPARE(healthy.json().value("disk").toObject().value("status").toString(), QStringLiteral("ok"));

        m_free->store(700 << 20); // 700 MiB of 100 GiB: under the 1 GiB threshold
        const RawResponse refused = sendEvent();
        QCOMPARE(refused.status, 507);
        const QJsonObject error = refused.json();
        QCOMPARE(error.value("status_code").toInt(), 507);
        QVERIFY2(
            error.value("error").toString().contains(QStringLiteral("nearly full (700.0 MiB free, below the 1.0 GiB "
                                                                    "threshold)")),
            refused.body.constData());
        QVERIFY(!refused.header("Retry-After").isEmpty());

        const RawResponse degraded = health();
        QCOMPARE(degraded.status, 503);
        QCOMPARE(degraded.json().value("status").toString(), QStringLiteral("degraded"));
        const QJsonObject disk = degraded.json().value("disk").toObject();
        QCOMPARE(disk.value("status").toString(), QStringLiteral("low"));
        QCOMPARE(disk.value("free_bytes").toInteger(), qint64(700) << 20);
        QCOMPARE(disk.value("threshold_bytes").toInteger(), kGiB);
        QVERIFY(m_collector->diskState().problem.contains(QStringLiteral("nearly full")));

        // Space comes back: the next request is stored, no restart.
        m_free->store(3 * kGiB);
        QCOMPARE(sendEvent().status, 200);
        QCOMPARE(health().status, 200);
        QVERIFY(m_collector->diskState().problem.isEmpty());

        // The refusal shows in the dropped-events view as its own kind.
        QString flushError;
        QVERIFY2(m_collector->flushDropLog(&flushError), qPrintable(flushError));
        auto db = Database::open(m_dbPath, Database::Mode::ReadOnly, &flushError);
        QVERIFY2(db, qPrintable(flushError));
        const QList<DropSummary> rows = DroppedEventsStore(*db).summaries(QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().reason, QStringLiteral("disk_full"));
        QCOMPARE(rows.first().example->status, 507);
    }
};

QTEST_GUILESS_MAIN(TestDiskGuard)
#include "tst_disk_guard.moc"
