// Issue 15, finding 5: attachments are their own rate-limit category with a
// byte quota per project and hour. Over it, a real SDK envelope's attachment
// is dropped (and shown as such in the dropped-events view), its event is
// still stored, and the answer names the `attachment` category in
// X-Sentry-Rate-Limits; an envelope of attachments alone over it gets a 429.
// Finding 7: a page attachment is stored scrubbed like the event's strings.
#include "collector/attachment_quota.h"
#include "storage/database.h"
#include "storage/dropped_events.h"
#include "storage/event_queries.h"
#include "support/collector/running_collector.h"
#include "support/fixtures.h"
#include "support/http_client.h"

#include <QDateTime>
#include <QTest>
#include <QUuid>

using namespace faultline;
using namespace faultline::test;

namespace {

// The Python SDK's event with a 38-byte 500.html (captured), under a fresh event id.
const QString kFixture = QStringLiteral("attachment_html_envelope");
const QByteArray kFixtureId = "19264962e8c84724894abebfa7a92074";
constexpr qint64 kAttachmentBytes = 38;

QByteArray envelopeWithId(const QByteArray &eventId)
{
    QByteArray body = fixtureBody(kFixture);
    return body.replace(kFixtureId, eventId);
}

QByteArray freshId() { return QUuid::createUuid().toString(QUuid::Id128).toUtf8(); }

} // namespace

class TestAttachmentQuota : public QObject {
    Q_OBJECT

    RunningCollector m_server;

    HeaderList auth() const { return { { "X-Sentry-Auth", m_server.sentryAuth() } }; }

    qsizetype storedAttachments(const QByteArray &eventId) const
    {
        const std::optional<EventRow> row = m_server.storedEvent(QString::fromLatin1(eventId));
        if (!row)
            return -1;
        QString error;
        auto db = Database::open(m_server.dbPath(), Database::Mode::ReadOnly, &error);
        return db ? EventQueries(*db).attachments(row->rowId, false).size() : -1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(!fixtureBody(kFixture).isEmpty());
        QVERIFY(fixtureBody(kFixture).contains(kFixtureId));
        CollectorOptions options;
        // Room for one of the fixture's attachments an hour, not two.
        options.limits.projectAttachmentBytesPerHour = kAttachmentBytes * 3 / 2;
        QString error;
        QVERIFY2(m_server.start(options, &error), qPrintable(error));
    }

    void cleanupTestCase() { m_server.stop(); }

    void windowCountsBytesAndTellsWhenItEnds()
    {
        AttachmentQuota quota(100);
        const auto start = AttachmentQuota::Clock::now();
        QVERIFY(!quota.consume(7, 60, start));
        QVERIFY(!quota.check(7, 40, start)); // a check counts nothing
        QVERIFY(!quota.consume(7, 40, start));
        const std::optional<int> wait = quota.consume(7, 1, start + std::chrono::seconds(600));
        QVERIFY(wait);
        QCOMPARE(*wait, AttachmentQuota::kWindowSeconds - 600);
        QVERIFY(!quota.consume(8, 100, start)); // each project has its own window
        QVERIFY(!quota.consume(7, 100, start + std::chrono::seconds(AttachmentQuota::kWindowSeconds)));
        quota.setQuota(7, 0); // unlimited
        QVERIFY(!quota.consume(7, qint64(1) << 40, start + std::chrono::seconds(AttachmentQuota::kWindowSeconds)));
    }

    void overQuotaDropsTheAttachmentKeepsTheEvent()
    {
        const QByteArray first = freshId();
        const RawResponse accepted = post(m_server.port(), m_server.envelopePath(), auth(), envelopeWithId(first));
        QCOMPARE(accepted.status, 200);
        QVERIFY(accepted.header("X-Sentry-Rate-Limits").isEmpty());
        QCOMPARE(storedAttachments(first), 1);

        const QByteArray second = freshId();
        const RawResponse limited = post(m_server.port(), m_server.envelopePath(), auth(), envelopeWithId(second));
        QCOMPARE(limited.status, 200); // the event is within its own limits
        const QList<QByteArray> limits = limited.header("X-Sentry-Rate-Limits").split(':');
        QCOMPARE(limits.size(), 3);
        QVERIFY(limits[0].toInt() > 3500 && limits[0].toInt() <= AttachmentQuota::kWindowSeconds);
        QCOMPARE(limits[1], QByteArray("attachment"));
        QCOMPARE(limits[2], QByteArray("project"));
        QCOMPARE(storedAttachments(second), 0);

        // The dropped attachment shows in the dropped-events view, with why.
        QString error;
        QVERIFY2(m_server.collector().flushDropLog(&error), qPrintable(error));
        auto db = Database::open(m_server.dbPath(), Database::Mode::ReadOnly, &error);
        QVERIFY2(db, qPrintable(error));
        const QList<DropSummary> rows = DroppedEventsStore(*db).summaries(QDateTime::currentMSecsSinceEpoch());
        const auto row = std::find_if(rows.begin(), rows.end(),
            [](const DropSummary &summary) { return summary.reason == QLatin1String("attachment_quota"); });
        QVERIFY(row != rows.end());
        QCOMPARE(row->projectId, m_server.project().id);
        QCOMPARE(row->lastHour, 1);
        QVERIFY2(row->example->answer.contains(QStringLiteral("'500.html'")), qPrintable(row->example->answer));
    }

    void attachmentsAloneOverQuotaGet429()
    {
        // The fixture's attachment item without its event.
        const QList<QByteArray> lines = envelopeWithId(freshId()).split('\n');
        QVERIFY(lines.size() >= 5);
        const QByteArray attachmentsOnly = lines[0] + '\n' + lines[3] + '\n' + lines[4] + '\n';
        QVERIFY(attachmentsOnly.contains("\"type\":\"attachment\""));
        const RawResponse refused = post(m_server.port(), m_server.envelopePath(), auth(), attachmentsOnly);
        QCOMPARE(refused.status, 429);
        QVERIFY(refused.header("X-Sentry-Rate-Limits").endsWith(":attachment:project"));
        QVERIFY(!refused.header("Retry-After").isEmpty());
        QVERIFY(refused.json().value("error").toString().contains(QStringLiteral("attachment quota")));
    }

    void storedPageIsScrubbed()
    {
        m_server.collector().setProjectAttachmentQuota(m_server.project().id, 0); // unlimited from here on
        // The SDK's envelope, its 500.html replaced by a page that shows what users' pages do show.
        const QByteArray page = "<html><body><h1>500</h1><a href=\"/retry?token=tok123abc&amp;page=2\">retry</a>"
                                "<pre>DATABASE_URL=postgres://admin:hunter2@db/prod\nAuthorization: Bearer "
                                "eyJhbGciOi.abc123\ncard 4111 1111 1111 1111</pre></body></html>";
        const QByteArray id = freshId();
        QList<QByteArray> lines = envelopeWithId(id).split('\n');
        QVERIFY(lines.size() >= 5 && lines[4] == "<html><body><h1>500</h1></body></html>");
        lines[3].replace("\"length\":38", "\"length\":" + QByteArray::number(page.size()));
        lines[4] = page;
        QCOMPARE(post(m_server.port(), m_server.envelopePath(), auth(), lines.join('\n')).status, 200);

        const std::optional<EventRow> row = m_server.storedEvent(QString::fromLatin1(id));
        QVERIFY(row);
        QString error;
        auto db = Database::open(m_server.dbPath(), Database::Mode::ReadOnly, &error);
        QVERIFY2(db, qPrintable(error));
        const QList<StoredAttachment> stored = EventQueries(*db).attachments(row->rowId);
        QCOMPARE(stored.size(), 1);
        const QByteArray html = stored.first().data;
        for (const char *secret : { "tok123abc", "hunter2", "eyJhbGciOi.abc123", "4111 1111 1111 1111" })
            QVERIFY2(!html.contains(secret), html.constData());
        QVERIFY2(html.contains("/retry?token=[Filtered]&amp;page=2"), html.constData());
        QVERIFY2(html.contains("postgres://admin:[Filtered]@db/prod"), html.constData());
        QVERIFY2(html.contains("<h1>500</h1>"), html.constData());
    }
};

QTEST_GUILESS_MAIN(TestAttachmentQuota)
#include "tst_attachment_quota.moc"
