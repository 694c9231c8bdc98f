// Retention by size (issue 15, finding 5): a project over its max stored size
// loses its oldest events, with their attachments, until the rest fit; real
// fixture events, attachments that do not compress, another project untouched.
// Through the collectors' retention scheduler, on both backends (test_backend.h):
// SQLite's Retention, and on PostgreSQL rows deleted beside the months
// (pg_size_retention.h); the issue's counters and the deduplication keys follow.
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "model/envelope.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/retention_scheduler.h"
#include "storage/store_readers.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSignalSpy>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kMiB = 1 << 20;
constexpr int kEvents = 12;
constexpr qsizetype kAttachmentBytes = 300 * 1024;

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

// The index-th of kEvents a minute apart, the last a minute before `nowMs`.
qint64 receivedAt(int index, qint64 nowMs) { return nowMs - (kEvents - index) * 60'000; }

// The Python SDK's event with its 500.html page, plus a crash dump that does not compress.
IncomingEvent fixtureEventWithDump(int index, qint64 projectId, qint64 receivedMs)
{
    const auto envelope = parseEnvelope(fixtureBody(QStringLiteral("attachment_html_envelope")));
    QJsonObject json = fixtureEventJson(QStringLiteral("attachment_html_envelope"));
    json.insert(QStringLiteral("event_id"), QStringLiteral("%1%2").arg(projectId).arg(index, 31, 10, QLatin1Char('0')));
    IncomingEvent incoming = preparedEvent(json, receivedMs, projectId);
    for (const EnvelopeItem &item : envelope->items)
        if (item.type == QLatin1String("attachment"))
            incoming.attachments.append(Attachment { item.header.value(QLatin1String("filename")).toString(),
                item.header.value(QLatin1String("content_type")).toString(), QString(), item.payload });
    incoming.attachments.append(Attachment { QStringLiteral("core.dmp"), QStringLiteral("application/octet-stream"),
        QStringLiteral("event.minidump"), randomBytes(kAttachmentBytes) });
    return incoming;
}

// One run of the scheduler a collector runs, with the limits stored now.
PruneReport pruneNow(const QString &location)
{
    RetentionScheduler scheduler(location);
    QSignalSpy finished(&scheduler, &RetentionScheduler::finished);
    if (!scheduler.runNow() || !finished.wait(120'000))
        return PruneReport { .error = QStringLiteral("the retention run did not finish") };
    return finished.first().first().value<PruneReport>();
}

} // namespace

class TestRetentionBySize : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_backend.start(), qPrintable(m_backend.error())); }
    void prunesOldestUntilTheRestFit();
    void issueLeftWithoutEventsGoes();

private:
    qint64 scalar(const QString &sql, const QVariantList &values = {})
    {
        return m_backend.scalar(m_location, sql, values);
    }
    // What stored_size.h counts: each event's compressed JSON and its attachments.
    qint64 storedBytes(qint64 projectId)
    {
        return scalar(QStringLiteral("SELECT coalesce(sum(length(e.raw) + coalesce((SELECT sum(a.size) FROM "
                                     "attachments a WHERE a.event_row = e.id), 0)), 0) FROM events e "
                                     "WHERE e.project_id = ?"),
            { projectId });
    }
    bool setSizeLimit(qint64 projectId, qint64 maxStoredMiB)
    {
        ProjectSettings settings = ProjectSettings::defaults(projectId);
        settings.maxAgeDays = 0;
        settings.maxEvents = 0;
        settings.maxStoredMiB = maxStoredMiB;
        const StorageResult<void> stored = m_store->limits().set(settings);
        if (!stored)
            qWarning() << stored.error().detail;
        return bool(stored);
    }

    TestBackend m_backend;
    QString m_location;
    std::unique_ptr<StorageBackend> m_store;
};

void TestRetentionBySize::prunesOldestUntilTheRestFit()
{
    m_location = m_backend.freshDatabase(QStringLiteral("by_size"));
    QVERIFY2(!m_location.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(m_location);
    QVERIFY(m_store);
    QVERIFY(parseEnvelope(fixtureBody(QStringLiteral("attachment_html_envelope"))));
    const StorageResult<Project> added = m_store->projects().add(QStringLiteral("other"));
    QVERIFY(added);
    const qint64 other = added.value().id;
    // No age or count limit for either project: only size decides.
    QVERIFY(setSizeLimit(1, 0));
    QVERIFY(setSizeLimit(other, 0));

    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QList<IncomingEvent> events;
    for (int i = 0; i < kEvents; ++i)
        events.append(fixtureEventWithDump(i, 1, receivedAt(i, nowMs)));
    for (int i = 0; i < 3; ++i)
        events.append(fixtureEventWithDump(i, other, receivedAt(i, nowMs)));
    const QList<WriteOutcome> outcomes = writeAll(m_location, events);
    QCOMPARE(outcomes.size(), events.size());
    for (const WriteOutcome &outcome : outcomes)
        QVERIFY2(outcome.committed, qPrintable(outcome.error));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM issues WHERE project_id = 1")), 1);
    QCOMPARE(scalar(QStringLiteral("SELECT count FROM issues WHERE project_id = 1")), kEvents);

    const qint64 before = storedBytes(1);
    QVERIFY2(before > kEvents * kAttachmentBytes && before < 2 * kEvents * kAttachmentBytes,
        qPrintable(QString::number(before)));
    const qint64 otherBefore = storedBytes(other);

    // 0 is no size limit: nothing goes.
    PruneReport report = pruneNow(m_location);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 0);

    // 1 MiB holds three of the 300 KiB dumps and their events, not four.
    QVERIFY(setSizeLimit(1, 1));
    report = pruneNow(m_location);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, kEvents - 3);
    QCOMPARE(report.issuesDeleted, 0);

    const qint64 after = storedBytes(1);
    QVERIFY2(after <= kMiB && after > 3 * kAttachmentBytes, qPrintable(QString::number(after)));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM events WHERE project_id = 1")), 3);
    const qint64 oldestKept = receivedAt(kEvents - 3, nowMs);
    QCOMPARE(scalar(QStringLiteral("SELECT min(received_ms) FROM events WHERE project_id = 1")), oldestKept);
    // The issue counts what it kept, and first seen moved to its oldest event left.
    QCOMPARE(scalar(QStringLiteral("SELECT count FROM issues WHERE project_id = 1")), 3);
    QCOMPARE(scalar(QStringLiteral("SELECT first_seen_ms FROM issues WHERE project_id = 1")), oldestKept);
    QCOMPARE(
        scalar(QStringLiteral("SELECT last_seen_ms FROM issues WHERE project_id = 1")), receivedAt(kEvents - 1, nowMs));
    // The dumps of the deleted events are gone from the database, not only unlinked.
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM attachments a JOIN events e ON e.id = a.event_row "
                                   "WHERE e.project_id = 1")),
        6);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM attachments")), 6 + 6);
    QCOMPARE(
        scalar(QStringLiteral("SELECT count(*) FROM attachment_blobs WHERE length(data) = ?"), { kAttachmentBytes }),
        3 + 3);
    QCOMPARE(storedBytes(other), otherBefore);

    // Within the limit now: nothing more goes.
    report = pruneNow(m_location);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 0);

    // A deleted event sent again is stored again (its deduplication key went with it).
    const QList<WriteOutcome> again = writeAll(m_location, { fixtureEventWithDump(0, 1, receivedAt(0, nowMs)) });
    QCOMPARE(again.size(), 1);
    QVERIFY2(again.first().committed, qPrintable(again.first().error));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM events WHERE project_id = 1")), 4);
    QCOMPARE(scalar(QStringLiteral("SELECT count FROM issues WHERE project_id = 1")), 4);
}

void TestRetentionBySize::issueLeftWithoutEventsGoes()
{
    m_location = m_backend.freshDatabase(QStringLiteral("by_size_issues"));
    QVERIFY2(!m_location.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(m_location);
    QVERIFY(m_store);
    QVERIFY(setSizeLimit(1, 0));

    // Seven events with a dump each, a minute apart but for the fourth and fifth,
    // received in the same millisecond: the first three in one issue, the rest in another.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 receivedMinute[] = { 0, 1, 2, 3, 3, 4, 5 };
    QList<IncomingEvent> events;
    for (int i = 0; i < 7; ++i) {
        IncomingEvent event = fixtureEventWithDump(i, 1, nowMs - (6 - receivedMinute[i]) * 60'000);
        event.issue.fingerprint = i < 3 ? QStringLiteral("older") : QStringLiteral("newer");
        events.append(event);
    }
    const QList<WriteOutcome> outcomes = writeAll(m_location, events);
    QCOMPARE(outcomes.size(), events.size());
    for (const WriteOutcome &outcome : outcomes)
        QVERIFY2(outcome.committed, qPrintable(outcome.error));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM issues WHERE project_id = 1")), 2);
    const qint64 tiedAtMs = nowMs - 3 * 60'000;
    const qint64 tiedLaterRow
        = scalar(QStringLiteral("SELECT max(id) FROM events WHERE received_ms = ? AND project_id = 1"), { tiedAtMs });

    // 1 MiB holds three dumps: the older issue loses all its events and goes; of the
    // two received together, the one stored first (the lower row id) goes first.
    QVERIFY(setSizeLimit(1, 1));
    const PruneReport report = pruneNow(m_location);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.eventsDeleted, 4);
    QCOMPARE(report.issuesDeleted, 1);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM issues WHERE project_id = 1")), 1);
    QCOMPARE(scalar(QStringLiteral("SELECT count FROM issues WHERE project_id = 1")), 3);
    QCOMPARE(scalar(QStringLiteral("SELECT first_seen_ms FROM issues WHERE project_id = 1")), tiedAtMs);
    QCOMPARE(scalar(QStringLiteral("SELECT id FROM events WHERE received_ms = ? AND project_id = 1"), { tiedAtMs }),
        tiedLaterRow);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM events e JOIN issues i ON i.id = e.issue_id "
                                   "WHERE i.project_id = 1")),
        3);
}

QTEST_GUILESS_MAIN(TestRetentionBySize)
#include "tst_retention_by_size.moc"
