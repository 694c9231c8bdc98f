// Retention by size (issue 15, finding 5): a project over its max stored size
// loses its oldest events, with their attachments, until the rest fit;
// real fixture events, attachments that do not compress, another project untouched.
#include "storage_test_helpers.h"

#include "model/envelope.h"
#include "model/grouping.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/retention.h"
#include "storage/statement.h"
#include "storage/stored_size.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"

#include <QRandomGenerator>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kNowMs = 1'750'000'000'000;
constexpr qint64 kMiB = 1 << 20;
constexpr int kEvents = 12;
constexpr qsizetype kAttachmentBytes = 300 * 1024;

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

// The Python SDK's event with its 500.html page, plus a crash dump that does not compress.
IncomingEvent fixtureEventWithDump(int index, qint64 projectId)
{
    const auto envelope = parseEnvelope(fixtureBody(QStringLiteral("attachment_html_envelope")));
    QJsonObject json = fixtureEventJson(QStringLiteral("attachment_html_envelope"));
    json.insert(QStringLiteral("event_id"), QStringLiteral("%1%2").arg(projectId).arg(index, 31, 10, QLatin1Char('0')));
    IncomingEvent incoming = preparedEvent(json, kNowMs - (kEvents - index) * 60'000, projectId); // oldest first
    for (const EnvelopeItem &item : envelope->items)
        if (item.type == QLatin1String("attachment"))
            incoming.attachments.append(Attachment { item.header.value(QLatin1String("filename")).toString(),
                item.header.value(QLatin1String("content_type")).toString(), QString(), item.payload });
    incoming.attachments.append(Attachment { QStringLiteral("core.dmp"), QStringLiteral("application/octet-stream"),
        QStringLiteral("event.minidump"), randomBytes(kAttachmentBytes) });
    return incoming;
}

QList<qint64> receivedTimes(Database &db, qint64 projectId)
{
    Statement select(db.handle(), QStringLiteral("SELECT received_ms FROM events WHERE project_id = ? ORDER BY 1"));
    select.bind(1, projectId);
    QList<qint64> times;
    while (select.step())
        times.append(select.int64(0));
    return times;
}

} // namespace

class TestRetentionBySize : public QObject {
    Q_OBJECT

private slots:
    void prunesOldestUntilTheRestFit()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("faultline.db"));
        auto db = openOrFail(path);
        QVERIFY(db);
        QVERIFY(parseEnvelope(fixtureBody(QStringLiteral("attachment_html_envelope"))));
        const qint64 other = ProjectStore(*db).add(QStringLiteral("other"))->id;
        QList<IncomingEvent> events;
        for (int i = 0; i < kEvents; ++i)
            events.append(fixtureEventWithDump(i, 1));
        for (int i = 0; i < 3; ++i)
            events.append(fixtureEventWithDump(i, other));
        const QList<WriteOutcome> outcomes = writeAll(path, events);
        QCOMPARE(outcomes.size(), events.size());
        for (const WriteOutcome &outcome : outcomes)
            QVERIFY2(outcome.committed, qPrintable(outcome.error));

        const qint64 before = projectStoredBytes(*db, 1);
        QVERIFY2(before > kEvents * kAttachmentBytes && before < 2 * kEvents * kAttachmentBytes,
            qPrintable(QString::number(before)));
        const qint64 otherBefore = projectStoredBytes(*db, other);

        ProjectSettings settings = ProjectSettings::defaults(1);
        settings.maxAgeDays = 0;
        settings.maxEvents = 0;
        settings.maxStoredMiB = 1;
        Retention retention(*db, 3); // several small transactions
        const PrunePlan plan = retention.plan(settings, kNowMs);
        // 1 MiB holds three of the 300 KiB dumps and their events, not four.
        QCOMPARE(plan.eventsToDelete, kEvents - 3);
        const PruneReport report = retention.prune(settings, kNowMs);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.eventsDeleted, kEvents - 3);

        const qint64 after = projectStoredBytes(*db, 1);
        QVERIFY2(after <= kMiB && after > 3 * kAttachmentBytes, qPrintable(QString::number(after)));
        QList<qint64> newest;
        for (int i = kEvents - 3; i < kEvents; ++i)
            newest.append(kNowMs - (kEvents - i) * 60'000);
        QCOMPARE(receivedTimes(*db, 1), newest);
        // The dumps of the deleted events are gone from disk, not only unlinked.
        QCOMPARE(scalar(*db,
                     QStringLiteral("SELECT count(*) FROM attachments a JOIN events e ON e.id = a.event_row "
                                    "WHERE e.project_id = 1")),
            6);
        QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM attachment_blobs WHERE length(data) = ?"),
                     { kAttachmentBytes }),
            3 + 3);
        QCOMPARE(projectStoredBytes(*db, other), otherBefore);

        // Within the limit now: nothing more goes; 0 means no size limit.
        QCOMPARE(retention.prune(settings, kNowMs).eventsDeleted, 0);
        settings.maxStoredMiB = 0;
        QCOMPARE(retention.plan(settings, kNowMs).eventsToDelete, 0);
    }
};

QTEST_GUILESS_MAIN(TestRetentionBySize)
#include "tst_retention_by_size.moc"
