// The legacy raven clients over real HTTP: raven-go, npm `raven` and Ruby's
// sentry-raven post `/store/` bodies as base64 of zlib-deflated JSON with no
// header saying so; raven-go sends one bare `exception` object and raven-js a
// top-level `stacktrace`. Each must be stored whole, as Sentry would keep it.
#include "support/collector/running_collector.h"
#include "support/fixture_replay.h"
#include "support/fixtures.h"
#include "support/http_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

class TestLegacyClients : public QObject {
    Q_OBJECT

    RunningCollector m_server;
    quint16 m_port = 0;
    Project m_project;

    HeaderList auth() const
    {
        return { { "X-Sentry-Auth", m_server.sentryAuth("4") }, { "Content-Type", "application/octet-stream" } };
    }
    QByteArray storePath() const { return m_server.storePath(); }
    std::optional<EventRow> stored(const QString &id) const { return m_server.storedEvent(id); }

private slots:
    void initTestCase()
    {
        CollectorOptions options;
        options.limits.maxDecodedBytes = 1 << 20;
        QString error;
        QVERIFY2(m_server.start(options, &error), qPrintable(error));
        m_port = m_server.port();
        m_project = m_server.project();
    }

    void cleanupTestCase() { m_server.stop(); }

    void base64ZlibBodiesAreStoredAsTheirJson_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("exceptionType");
        QTest::addColumn<QString>("culpritFunction");
        QTest::newRow("raven-go error") << "raven_go_exception_store"
                                        << "*errors.errorString"
                                        << "inner";
        QTest::newRow("raven-go panic") << "raven_go_panic_store"
                                        << "runtime.plainError"
                                        << "";
        QTest::newRow("npm raven error") << "raven_node_exception_store"
                                         << "Error"
                                         << "inner";
        QTest::newRow("npm raven message") << "raven_node_message_store"
                                           << ""
                                           << "";
        QTest::newRow("sentry-raven default") << "ruby_raven_default_encoding_store"
                                              << "ArgumentError"
                                              << "";
    }
    void base64ZlibBodiesAreStoredAsTheirJson()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, exceptionType);
        QFETCH(QString, culpritFunction);
        QCOMPARE(fixtureMeta(fixture).value("body_encoding").toString(), QStringLiteral("base64+zlib"));
        const RawResponse response = replay(m_port, fixture, m_project.id, m_project.publicKey);
        QVERIFY2(response.status == 200, response.body.constData());
        const QString id = response.json().value("id").toString();
        QCOMPARE(id, fixtureEventId(fixture));

        const std::optional<EventRow> row = stored(id);
        QVERIFY(row);
        // Stored as the JSON the client deflated: nothing lost, nothing to re-encode.
        QCOMPARE(row->rawJson, fixtureBody(fixture));
        QCOMPARE(row->exceptionType, exceptionType);
        if (!culpritFunction.isEmpty())
            QVERIFY2(row->culprit.contains(culpritFunction), qPrintable(row->culprit));
    }

    void topLevelStacktraceIsKept()
    {
        const QString fixture = QStringLiteral("raven_js_stacktrace_message_store");
        const RawResponse response = replay(m_port, fixture, m_project.id, m_project.publicKey);
        QVERIFY2(response.status == 200, response.body.constData());
        const std::optional<EventRow> row = stored(response.json().value("id").toString());
        QVERIFY(row);
        QCOMPARE(row->message, QStringLiteral("cart has 3 items but no total"));
        QVERIFY2(row->culprit.contains(QLatin1String("renderCart")), qPrintable(row->culprit));
        // raven-js sends no timestamp: the arrival time is written into the stored event.
        const QJsonObject event = QJsonDocument::fromJson(row->rawJson).object();
        QCOMPARE(event.value("stacktrace").toObject().value("frames").toArray().size(), 4);
        QVERIFY(event.value("timestamp").toDouble() > 1.7e9);
        QCOMPARE(qint64(event.value("timestamp").toDouble() * 1000), row->timestampMs);
    }

    void autoIpAddressBecomesTheSendersAddress()
    {
        // raven-js's real exception capture, with the placeholder Sentry's browser
        // SDKs put in `user.ip_address` (and older ones in `request.env.REMOTE_ADDR`).
        QJsonObject event = QJsonDocument::fromJson(fixtureBody("raven_js_exception_store")).object();
        QJsonObject user = event.value("user").toObject();
        user.insert("ip_address", "{{auto}}");
        event.insert("user", user);
        event.insert("request",
            QJsonObject {
                { "url", "http://shop.example/cart" }, { "env", QJsonObject { { "REMOTE_ADDR", "{{auto}}" } } } });
        const RawResponse response = post(m_port, storePath(), auth(), QJsonDocument(event).toJson());
        QVERIFY2(response.status == 200, response.body.constData());
        const std::optional<EventRow> row = stored(response.json().value("id").toString());
        QVERIFY(row);
        const QJsonObject kept = QJsonDocument::fromJson(row->rawJson).object();
        QCOMPARE(kept["user"]["ip_address"].toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(kept["request"]["env"]["REMOTE_ADDR"].toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(kept["user"]["email"].toString(), QStringLiteral("alice@example.com"));
        QVERIFY(!row->rawJson.contains("{{auto}}"));
    }

    void legacyBombGets413()
    {
        const QByteArray bomb = test::zlibCompress(QByteArray(64 << 20, ' '), 15).toBase64();
        const RawResponse response = post(m_port, storePath(), auth(), bomb);
        QCOMPARE(response.status, 413);
        QVERIFY2(response.json().value("error").toString().contains("limit"), response.body.constData());
    }

    void brokenLegacyBodyGets400NamingTheEncoding()
    {
        const QByteArray deflated = test::zlibCompress(fixtureBody("raven_go_exception_store"), 15);
        RawResponse response = post(m_port, storePath(), auth(), deflated.left(deflated.size() / 2).toBase64());
        QCOMPARE(response.status, 400);
        QVERIFY2(response.json().value("error").toString().contains("base64"), response.body.constData());

        // Not base64 either: the JSON parser's answer, naming where it failed.
        response = post(m_port, storePath(), auth(), "not json, not base64");
        QCOMPARE(response.status, 400);
        QVERIFY(!response.json().value("error").toString().isEmpty());

        response = post(m_port, storePath(), auth(), "{\"message\":\"still serving\"}");
        QCOMPARE(response.status, 200);
    }
};

QTEST_GUILESS_MAIN(TestLegacyClients)
#include "tst_legacy_clients.moc"
