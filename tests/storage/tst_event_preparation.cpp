// IncomingEvent::prepare(), the one way from a client's event JSON to what the
// writer stores: secrets scrubbed before anything is kept, missing ids and times
// filled in and written into the event, the stored text compressed and the
// columns built; what does not parse is refused with its field errors.
#include "storage_test_helpers.h"

#include "storage/raw_codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kReceived = 1'700'000'000'000;

QJsonObject storedJson(const IncomingEvent &incoming)
{
    return QJsonDocument::fromJson(decompressRaw(incoming.storedRaw.compressed, incoming.storedRaw.size)).object();
}

} // namespace

class TestEventPreparation : public QObject {
    Q_OBJECT
private slots:
    void anEventAsSentIsStoredAsSent()
    {
        const QByteArray sent = R"({"event_id":"0123456789abcdef0123456789abcdef","timestamp":1699999999.5,)"
                                R"("level":"warning","message":"disk almost full","release":"shop@1.2"})";
        const Result<IncomingEvent> prepared = IncomingEvent::prepare(sent, EventOrigin { 3, kReceived, {}, {}, 0 });
        QVERIFY(prepared);
        QCOMPARE(decompressRaw(prepared->storedRaw.compressed, prepared->storedRaw.size), sent); // byte for byte
        QCOMPARE(prepared->projectId, 3);
        QCOMPARE(prepared->receivedMs, kReceived);
        QVERIFY(prepared->event.raw.isEmpty()); // the stored text is storedRaw, not a second copy
        // The columns the writer binds, built here rather than on the writer's thread.
        QCOMPARE(prepared->columns.eventId, QByteArray("0123456789abcdef0123456789abcdef"));
        QCOMPARE(prepared->columns.timestampMs, 1'699'999'999'500);
        QCOMPARE(prepared->columns.level, QByteArray("warning"));
        QCOMPARE(prepared->columns.release, QByteArray("shop@1.2"));
        QCOMPARE(prepared->columns.title, QByteArray("disk almost full"));
        QCOMPARE(prepared->issue.title, QStringLiteral("disk almost full"));
        QVERIFY(!prepared->issue.fingerprint.isEmpty());
    }

    void secretsAreScrubbedBeforeAnythingIsKept()
    {
        const QByteArray sent = R"({"message":"login failed","extra":{"password":"hunter2"},)"
                                R"("request":{"headers":{"Authorization":"Bearer abc.def.ghi"}}})";
        const Result<IncomingEvent> prepared = IncomingEvent::prepare(sent, EventOrigin { 1, kReceived, {}, {}, 0 });
        QVERIFY(prepared);
        const QByteArray stored = decompressRaw(prepared->storedRaw.compressed, prepared->storedRaw.size);
        QVERIFY2(!stored.contains("hunter2"), stored.constData());
        QVERIFY2(!stored.contains("abc.def.ghi"), stored.constData());
        QVERIFY(stored.contains("[Filtered]"));
    }

    void missingIdAndTimeAreFilledInAndWrittenIntoTheEvent()
    {
        const Result<IncomingEvent> fromEnvelope = IncomingEvent::prepare(R"({"message":"no id"})",
            EventOrigin { 1, kReceived, QStringLiteral("fedcba9876543210fedcba9876543210"), {}, 0 });
        QVERIFY(fromEnvelope);
        QCOMPARE(fromEnvelope->event.eventId, QStringLiteral("fedcba9876543210fedcba9876543210"));
        const QJsonObject stored = storedJson(fromEnvelope.value());
        QCOMPARE(stored.value("event_id").toString(), QStringLiteral("fedcba9876543210fedcba9876543210"));
        QCOMPARE(stored.value("timestamp").toDouble(), double(kReceived) / 1000.0);
        QCOMPARE(fromEnvelope->columns.timestampMs, kReceived);

        // Without a fallback, an id of its own: two id-less events are two events.
        const Result<IncomingEvent> a
            = IncomingEvent::prepare(R"({"message":"x"})", EventOrigin { 1, kReceived, {}, {}, 0 });
        const Result<IncomingEvent> b
            = IncomingEvent::prepare(R"({"message":"x"})", EventOrigin { 1, kReceived, {}, {}, 0 });
        QVERIFY(a && b);
        QCOMPARE(a->event.eventId.size(), 32);
        QVERIFY(a->event.eventId != b->event.eventId);
        QCOMPARE(storedJson(a.value()).value("event_id").toString(), a->event.eventId);
    }

    void autoAddressesBecomeTheSenders()
    {
        const Result<IncomingEvent> prepared = IncomingEvent::prepare(
            R"({"message":"x","user":{"ip_address":"{{auto}}"}})", EventOrigin { 1, kReceived, {}, "192.0.2.7", 0 });
        QVERIFY(prepared);
        QCOMPARE(storedJson(prepared.value()).value("user").toObject().value("ip_address").toString(),
            QStringLiteral("192.0.2.7"));
    }

    void whatDoesNotParseIsRefusedWithItsFieldErrors()
    {
        const Result<IncomingEvent> notJson
            = IncomingEvent::prepare("{\"message\":", EventOrigin { 1, kReceived, {}, {}, 0 });
        QVERIFY(!notJson);
        QVERIFY(!notJson.errors().isEmpty());
        const Result<IncomingEvent> badFrame = IncomingEvent::prepare(
            R"({"message":"m","stacktrace":{"frames":[1]}})", EventOrigin { 1, kReceived, {}, {}, 0 });
        QVERIFY(!badFrame);
        QCOMPARE(badFrame.errors().first().loc, (QJsonArray { "stacktrace", "frames", 0 }));
    }

    void pagesAreScrubbedLikeTheEvent()
    {
        const QByteArray html = "<html><body>token=s3cr3tvalue123 <p>Server Error</p></body></html>";
        const Attachment page = IncomingEvent::prepareAttachment(
            Attachment { QStringLiteral("500.html"), QStringLiteral("text/html"), QString(), html }, 0);
        QVERIFY2(!page.data.contains("s3cr3tvalue123"), page.data.constData());
        const Attachment log = IncomingEvent::prepareAttachment(
            Attachment { QStringLiteral("server.log"), QStringLiteral("text/plain"), QString(), html }, 0);
        QCOMPARE(log.data, html); // not a page: kept as sent
    }
};

QTEST_GUILESS_MAIN(TestEventPreparation)
#include "tst_event_preparation.moc"
