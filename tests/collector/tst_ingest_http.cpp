// The collector over real HTTP on an ephemeral port, in process: every
// captured client request, auth, and the bad-input corpus. Each bad request
// must get a 4xx JSON answer in the app's error shape, and the collector must
// keep serving afterwards.
#include "storage/database.h"
#include "storage/statement.h"
#include "support/collector/running_collector.h"
#include "support/fixture_replay.h"
#include "support/fixtures.h"
#include "support/http_client.h"
#include "support/prepared_events.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <thread>

using namespace faultline;
using namespace faultline::test;

namespace {

bool hasErrorShape(const RawResponse &response)
{
    const QJsonObject body = response.json();
    return response.header("Content-Type") == "application/json" && body.value("error").isString()
        && !body.value("error").toString().isEmpty() && body.value("status_code").toInt() == response.status
        && body.value("details").isArray();
}

QByteArray deeplyNested(int depth)
{
    return "{\"message\":\"x\",\"extra\":" + QByteArray(depth, '[') + QByteArray(depth, ']') + "}";
}

} // namespace

class TestIngestHttp : public QObject {
    Q_OBJECT

    RunningCollector m_server;
    // Where a test can watch the log: installed before any thread logs (a default
    // logger must not be swapped while others log); tests add and remove sinks.
    std::shared_ptr<spdlog::sinks::dist_sink_mt> m_logTap = std::make_shared<spdlog::sinks::dist_sink_mt>();
    std::shared_ptr<spdlog::logger> m_originalLogger;
    Project m_project;
    quint16 m_port = 0;

    HeaderList auth() const { return { { "X-Sentry-Auth", m_server.sentryAuth("7") } }; }
    QByteArray storePath() const { return m_server.storePath(); }
    QByteArray envelopePath() const { return m_server.envelopePath(); }

    void assertStillServing()
    {
        const RawResponse response = post(m_port, storePath(), auth(), "{\"message\":\"still here\"}");
        QCOMPARE(response.status, 200);
    }

    // A collector of its own on an ephemeral port, in front of `writer`; null if it did not start.
    std::unique_ptr<Collector> collectorFor(EventWriter &writer, int stopGraceMs = 5000)
    {
        CollectorOptions options;
        options.http.port = 0;
        options.http.stopGraceMs = stopGraceMs;
        auto collector = std::make_unique<Collector>(options, m_server.dbPath(), writer);
        QString error;
        if (!collector->start(&error)) {
            qWarning() << "collector did not start:" << error;
            return nullptr;
        }
        return collector;
    }

    // Whether a new connection to `port` is accepted; stop() closes the listening socket first.
    static bool acceptsConnections(quint16 port)
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        return socket.waitForConnected(200);
    }

    // The stored JSON of event `id`, read back from the database; empty if absent.
    QByteArray storedJson(const QString &id)
    {
        const std::optional<EventRow> row = m_server.storedEvent(id);
        return row ? row->rawJson : QByteArray();
    }

private slots:
    void initTestCase()
    {
        m_originalLogger = spdlog::default_logger();
        const std::shared_ptr<spdlog::logger> tapped = m_originalLogger->clone("tapped");
        tapped->sinks().push_back(m_logTap);
        spdlog::set_default_logger(tapped);
        CollectorOptions options;
        options.limits.maxBodyBytes = 16 << 20;
        options.limits.maxDecodedBytes = 32 << 20;
        QString error;
        QVERIFY2(m_server.start(options, &error), qPrintable(error));
        m_project = m_server.project();
        m_port = m_server.port();
        QVERIFY(m_port != 0);
    }

    void cleanupTestCase()
    {
        m_server.stop();
        spdlog::set_default_logger(m_originalLogger);
    }

    void everyCapturedRequestIsAccepted_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("form");
        for (const QString &name : fixtureNames()) {
            QTest::newRow(qPrintable(name + " as captured")) << name << int(BodyForm::AsCaptured);
            if (!fixtureMeta(name).value("original_content_encoding").isNull())
                QTest::newRow(qPrintable(name + " decompressed")) << name << int(BodyForm::Decompressed);
        }
    }
    void everyCapturedRequestIsAccepted()
    {
        QFETCH(QString, fixture);
        QFETCH(int, form);
        const RawResponse response = replay(m_port, fixture, m_project.id, m_project.publicKey, BodyForm(form));
        QVERIFY2(response.status == 200, response.body.constData());
        const QString expectedId = fixtureEventId(fixture);
        if (!expectedId.isEmpty())
            QCOMPARE(response.json().value("id").toString(), expectedId);
    }

    void keyIsAcceptedFromEveryPlaceClientsPutIt_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("headerName");
        QTest::addColumn<QByteArray>("headerValue");
        const QByteArray key = m_project.publicKey.toUtf8();
        QTest::newRow("X-Sentry-Auth") << storePath() << QByteArray("X-Sentry-Auth")
                                       << "Sentry sentry_key=" + key + ",sentry_version=7";
        QTest::newRow("lower-case header") << storePath() << QByteArray("x-sentry-auth") << "Sentry sentry_key=" + key;
        QTest::newRow("Authorization: Sentry")
            << storePath() << QByteArray("Authorization") << "Sentry sentry_version=7, sentry_key=" + key;
        QTest::newRow("query string") << storePath() + "?sentry_version=7&sentry_key=" + key << QByteArray("X-Other")
                                      << QByteArray("1");
        QTest::newRow("no trailing slash")
            << storePath().chopped(1) + "?sentry_key=" + key << QByteArray("X-Other") << QByteArray("1");
    }
    void keyIsAcceptedFromEveryPlaceClientsPutIt()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, headerName);
        QFETCH(QByteArray, headerValue);
        const RawResponse response = post(m_port, target, { { headerName, headerValue } }, "{\"message\":\"auth\"}");
        QVERIFY2(response.status == 200, response.body.constData());
    }

    void envelopeDsnAuthenticates()
    {
        const QByteArray dsn = ProjectStore::dsn(m_project, m_server.collector().hostPort()).toUtf8();
        const QByteArray envelope = "{\"dsn\":\"" + dsn + "\"}\n{\"type\":\"event\"}\n{\"message\":\"via dsn\"}\n";
        const RawResponse response = post(m_port, envelopePath(), {}, envelope);
        QVERIFY2(response.status == 200, response.body.constData());
    }

    void authFailures_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("authHeader");
        QTest::addColumn<int>("status");
        QTest::newRow("missing key") << storePath() << QByteArray() << 401;
        QTest::newRow("wrong key") << storePath() << QByteArray("Sentry sentry_key=0123456789abcdef") << 403;
        // Unknown projects answer like wrong keys, so ids cannot be probed (issue 15, finding 14).
        QTest::newRow("unknown project") << QByteArray("/api/999/store/")
                                         << "Sentry sentry_key=" + m_project.publicKey.toUtf8() << 403;
        QTest::newRow("overflowing project id") << QByteArray("/api/99999999999999999999999/store/")
                                                << "Sentry sentry_key=" + m_project.publicKey.toUtf8() << 403;
        QTest::newRow("non-numeric project")
            << QByteArray("/api/abc/envelope/") << "Sentry sentry_key=" + m_project.publicKey.toUtf8() << 403;
    }
    void authFailures()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, authHeader);
        QFETCH(int, status);
        HeaderList headers;
        if (!authHeader.isEmpty())
            headers.append({ "X-Sentry-Auth", authHeader });
        const RawResponse response = post(m_port, target, headers, "{\"message\":\"x\"}");
        QCOMPARE(response.status, status);
        QVERIFY2(hasErrorShape(response), response.body.constData());
    }

    void badInputGetsA4xxJsonAnswer_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorMentions");
        const HeaderList a = auth();
        auto plus = [&a](QByteArray name, QByteArray value) { return a + HeaderList { { name, value } }; };
        const QByteArray smallEvent = "{\"message\":\"x\"}";
        QTest::newRow("malformed JSON") << storePath() << a << QByteArray("{\"message\": ") << 400 << "not valid JSON";
        QTest::newRow("JSON array") << storePath() << a << QByteArray("[1,2]") << 400 << "object";
        QTest::newRow("non-UTF-8") << storePath() << a << QByteArray("{\"message\":\"\xff\xfe\xfd\"}") << 400
                                   << "not valid JSON";
        QTest::newRow("deep nesting") << storePath() << a << deeplyNested(100000) << 400 << "not valid JSON";
        QTest::newRow("bad gzip") << storePath() << plus("Content-Encoding", "gzip") << QByteArray("not gzip") << 400
                                  << "gzip";
        QTest::newRow("gzip bomb") << storePath() << plus("Content-Encoding", "gzip") << gzip(QByteArray(64 << 20, ' '))
                                   << 413 << "limit";
        QTest::newRow("unknown encoding")
            << storePath() << plus("Content-Encoding", "lzma") << smallEvent << 415 << "lzma";
        QTest::newRow("event over 1 MiB")
            << storePath() << a << "{\"message\":\"" + QByteArray(1100000, 'a') + "\"}" << 413 << "limit";
        QTest::newRow("empty body") << storePath() << a << QByteArray() << 400 << "empty";
        QTest::newRow("truncated envelope")
            << envelopePath() << a << QByteArray("{}\n{\"type\":\"event\",\"length\":500}\n{\"message\":1}") << 400
            << "envelope";
        QTest::newRow("envelope header not JSON")
            << envelopePath() << a << QByteArray("garbage\n{}\n") << 400 << "envelope";
        QByteArray manyItems = "{}\n";
        for (int i = 0; i < 150; ++i)
            manyItems += "{\"type\":\"session\"}\n{}\n";
        QTest::newRow("too many items") << envelopePath() << a << manyItems << 413 << "items";
        QTest::newRow("frames not a list")
            << storePath() << a
            << QByteArray("{\"exception\":{\"values\":[{\"type\":\"E\",\"stacktrace\":{\"frames\":\"nope\"}}]}}") << 400
            << "invalid event";
        QTest::newRow("oversized attachment")
            << envelopePath() << a
            << "{}\n{\"type\":\"event\"}\n{\"message\":\"x\"}\n{\"type\":\"attachment\",\"length\":11000000,"
               "\"filename\":\"big.bin\"}\n"
                + QByteArray(11000000, 'z') + "\n"
            << 413 << "attachment";
    }
    void badInputGetsA4xxJsonAnswer()
    {
        QFETCH(QByteArray, target);
        QFETCH(HeaderList, headers);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, errorMentions);
        const RawResponse response = post(m_port, target, headers, body);
        QVERIFY2(response.status == status, response.body.left(300).constData());
        QVERIFY2(hasErrorShape(response), response.body.left(300).constData());
        QVERIFY2(response.json().value("error").toString().contains(errorMentions, Qt::CaseInsensitive),
            response.body.left(300).constData());
        assertStillServing();
    }

    void fieldErrorsNameTheirPath()
    {
        const RawResponse response = post(m_port, storePath(), auth(),
            "{\"exception\":{\"values\":[{\"type\":\"E\",\"stacktrace\":{\"frames\":[{\"function\":\"f\"}, 7]}}]}}");
        QCOMPARE(response.status, 400);
        const QJsonArray details = response.json().value("details").toArray();
        QVERIFY(!details.isEmpty());
        const QJsonArray expected { "exception", "values", 0, "stacktrace", "frames", 1 };
        QCOMPARE(details.first().toObject().value("loc").toArray(), expected);
    }

    void declaredOversizeIsRefusedBeforeTheBody()
    {
        // Only headers are sent: the answer must come without the body ever arriving.
        const QByteArray request
            = buildRequest("POST", storePath(), auth() + HeaderList { { "Content-Length", "99999999" } }, QByteArray());
        const RawResponse response = sendRaw(m_port, request, 5000);
        QCOMPARE(response.status, 413);
        QVERIFY(hasErrorShape(response));
    }

    void expectContinueIsAnswered()
    {
        const QByteArray body = "{\"message\":\"with expect\"}";
        const QByteArray request = buildRequest("POST", storePath(),
            auth() + HeaderList { { "Expect", "100-continue" }, { "Content-Length", QByteArray::number(body.size()) } },
            QByteArray());
        // Send headers only; a conforming server says 100 Continue before we send the body.
        QTcpSocket socket;
        socket.connectToHost("127.0.0.1", m_port);
        QVERIFY(socket.waitForConnected(2000));
        socket.write(request);
        QVERIFY(socket.waitForReadyRead(2000));
        QVERIFY(socket.readAll().startsWith("HTTP/1.1 100"));
        socket.write(body);
        QVERIFY(socket.waitForReadyRead(5000));
        QByteArray answer = socket.readAll();
        while (socket.waitForReadyRead(300))
            answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    }

    void wrongMethodAndUnknownRoute()
    {
        RawResponse response = sendRaw(m_port, buildRequest("GET", storePath(), {}, {}));
        QCOMPARE(response.status, 405);
        QVERIFY(hasErrorShape(response));
        QVERIFY(response.header("Allow").contains("POST"));
        response = sendRaw(m_port, buildRequest("POST", "/nope", {}, "x"));
        QCOMPARE(response.status, 404);
        QVERIFY(hasErrorShape(response));
        assertStillServing();
    }

    void garbageRequestLineIsRefused()
    {
        const RawResponse response = sendRaw(m_port, "THIS IS NOT HTTP\r\n\r\n", 5000);
        QCOMPARE(response.status, 400);
        assertStillServing();
    }

    void unparseableRequestHeadsAreCountedAndLogged_data()
    {
        // libmicrohttpd answers these itself, with its own HTML page (see README,
        // "Why libmicrohttpd and not QHttpServer"); the collector still counts and
        // logs each refusal. (A Content-Length that is not a number is answered by our
        // accept loop with JSON: tst_request_head_gate.)
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason"); // as libmicrohttpd words it
        const QByteArray head = "POST " + storePath() + " HTTP/1.1\r\nHost: x\r\n";
        QTest::newRow("header line without a colon") << head
                + "no-colon-here\r\n\r\n" << 400 << QByteArray("400 Your HTTP request was syntactically incorrect.");
        QTest::newRow("bad chunk size") << head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"
                                        << 400
                                        << QByteArray("400 Your HTTP chunked encoding was syntactically incorrect.");
        QTest::newRow("unknown HTTP version") << "POST " + storePath() + " HTTP/7.1\r\nHost: x\r\n\r\n"
                                              << 505 << QByteArray("505 Requested HTTP version is not supported.");
        QTest::newRow("70 KB header") << head + "X-Big: " + QByteArray(70'000, 'a') + "\r\n\r\n"
                                      << 431 << QByteArray("431 Your HTTP header was too big");
    }

    void unparseableRequestHeadsAreCountedAndLogged()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        // A collector of its own: its log budget (20 lines per 10 s) is not spent by the other tests.
        CollectorOptions options;
        options.http.port = 0;
        Collector collector(options, m_server.dbPath(), m_server.writer());
        QString error;
        QVERIFY2(collector.start(&error), qPrintable(error));
        auto recent = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8);
        m_logTap->add_sink(recent);
        const auto untap = qScopeGuard([&] { m_logTap->remove_sink(recent); });

        const RawResponse response = sendRaw(collector.port(), request, 5000);
        QCOMPARE(response.status, status);
        QTRY_COMPARE(collector.stats().rejectedRequests.load(), std::uint64_t(1));
        const std::vector<std::string> lines = recent->last_formatted();
        const QByteArray expected = "rejected a request it could not parse: " + reason;
        QVERIFY2(std::any_of(lines.begin(), lines.end(),
                     [&](const std::string &line) { return line.find(expected.constData()) != std::string::npos; }),
            lines.empty() ? "nothing logged" : lines.back().c_str());
        const RawResponse next = post(collector.port(), storePath(), auth(), "{\"message\":\"still here\"}");
        QCOMPARE(next.status, 200);
        QCOMPARE(collector.stats().rejectedRequests.load(), std::uint64_t(1)); // counted once
    }

    void storedEventsAreScrubbedOrKeptAsSent()
    {
        // The Django capture carries "Authorization: Bearer secret-token" and a session cookie.
        RawResponse response
            = replay(m_port, QStringLiteral("django_request_store"), m_project.id, m_project.publicKey);
        QVERIFY2(response.status == 200, response.body.constData());
        const QByteArray django = storedJson(response.json().value("id").toString());
        QVERIFY(!django.isEmpty());
        QVERIFY(!django.contains("secret-token"));
        const QJsonObject event = QJsonDocument::fromJson(django).object();
        const QJsonObject headers = event["request"]["headers"].toObject();
        QCOMPARE(headers["Authorization"].toString(), QStringLiteral("[Filtered]"));
        QCOMPARE(headers["Host"].toString(), QStringLiteral("testserver"));

        // Rewritten through Qt, which reads a lone surrogate (Python's undecodable byte) that simdjson refuses.
        response = post(m_port, storePath(), auth(), R"({"message":"open /tmp/\udcff","extra":{"password":"p"}})");
        QVERIFY2(response.status == 200, response.body.constData());
        const QJsonObject surrogate
            = QJsonDocument::fromJson(storedJson(response.json().value("id").toString())).object();
        QCOMPARE(surrogate["extra"]["password"].toString(), QStringLiteral("[Filtered]"));

        // Nothing secret: the bytes as the SDK sent them.
        response = replay(m_port, QStringLiteral("python_exception_store"), m_project.id, m_project.publicKey,
            BodyForm::Decompressed);
        QVERIFY2(response.status == 200, response.body.constData());
        QCOMPARE(
            storedJson(response.json().value("id").toString()), fixtureBody(QStringLiteral("python_exception_store")));
    }

    void envelopeEventWithoutIdIsStoredUnderTheEnvelopesId()
    {
        const QByteArray id = "0123456789abcdef0123456789abcdef";
        const QByteArray body = "{\"event_id\":\"" + id + "\"}\n{\"type\":\"event\"}\n{\"message\":\"no id inside\"}\n";
        const RawResponse response = post(m_port, envelopePath(), auth(), body);
        QVERIFY2(response.status == 200, response.body.constData());
        const QJsonObject stored = QJsonDocument::fromJson(storedJson(QString::fromLatin1(id))).object();
        QCOMPARE(stored["event_id"].toString(), QString::fromLatin1(id));
        QCOMPARE(stored["message"].toString(), QStringLiteral("no id inside"));
    }

    void plainJsonEndpoint()
    {
        const HeaderList bearer { { "Authorization", "Bearer " + m_project.publicKey.toUtf8() },
            { "Content-Type", "application/json" } };
        RawResponse response = post(m_port, "/api/events", bearer,
            "{\"message\":\"disk almost full\",\"level\":\"warning\",\"tags\":{\"host\":\"db1\"}}");
        QVERIFY2(response.status == 200, response.body.constData());
        QCOMPARE(response.json().value("id").toString().size(), 32);

        response = post(m_port, "/api/events", {}, "{\"message\":\"x\"}");
        QCOMPARE(response.status, 401);
        QVERIFY(hasErrorShape(response));
        response = post(m_port, "/api/events", { { "Authorization", "Bearer nope" } }, "{\"message\":\"x\"}");
        QCOMPARE(response.status, 403);
        response = post(m_port, "/api/events", bearer, "{\"level\":\"error\"}");
        QCOMPARE(response.status, 400);
        QCOMPARE(response.json().value("details").toArray().first().toObject().value("loc").toArray(),
            QJsonArray { "message" });
        response
            = post(m_port, "/api/events", bearer, "{\"message\":\"x\",\"page\":{\"status_code\":500,\"html\":42}}");
        QCOMPARE(response.status, 400);
    }

    void corsPreflight()
    {
        const RawResponse response = sendRaw(m_port, buildRequest("OPTIONS", envelopePath(), {}, {}));
        QCOMPARE(response.status, 204);
        QCOMPARE(response.header("Access-Control-Allow-Origin"), QByteArray("*"));
        // Once: a browser refuses "*, *" (the pre-flight used to send it twice).
        int origins = 0;
        for (const auto &[name, value] : response.headers)
            origins += name.compare("Access-Control-Allow-Origin", Qt::CaseInsensitive) == 0 ? 1 : 0;
        QCOMPARE(origins, 1);
    }

    void projectOverItsRateLimitGets429()
    {
        m_server.collector().setProjectRateLimit(m_project.id, 3);
        QList<int> statuses;
        for (int i = 0; i < 5; ++i)
            statuses.append(post(m_port, storePath(), auth(), "{\"message\":\"flood\"}").status);
        m_server.collector().setProjectRateLimit(m_project.id, 0);
        QCOMPARE(statuses, (QList<int> { 200, 200, 200, 429, 429 }));
        const RawResponse limited = [&] {
            m_server.collector().setProjectRateLimit(m_project.id, 1);
            post(m_port, storePath(), auth(), "{\"message\":\"one\"}");
            RawResponse response = post(m_port, storePath(), auth(), "{\"message\":\"two\"}");
            m_server.collector().setProjectRateLimit(m_project.id, 0);
            return response;
        }();
        QCOMPARE(limited.status, 429);
        QVERIFY(hasErrorShape(limited));
        QCOMPARE(limited.header("Retry-After"), QByteArray("60"));
        QCOMPARE(limited.header("X-Sentry-Rate-Limits"), QByteArray("60:error;default:project"));
        assertStillServing();
    }

    void saturatedWriterAnswers429WithBackOffHeaders()
    {
        // A writer that is never started never drains: its queue of one fills at once.
        EventWriter stalled(m_server.dbPath(), WriterOptions { 1, 1 });
        auto collector = collectorFor(stalled);
        QVERIFY(collector);
        QVERIFY(stalled.enqueue({ preparedEvent(QJsonObject { { "message", "queued" } }, 1'700'000'000'000) }, {}));
        const RawResponse response = post(collector->port(), storePath(), auth(), "{\"message\":\"too much\"}");
        QCOMPARE(response.status, 429);
        QVERIFY(hasErrorShape(response));
        QCOMPARE(response.header("Retry-After"), QByteArray("2"));
        QCOMPARE(response.header("X-Sentry-Rate-Limits"), QByteArray("2::organization"));
    }

    void answerInFlightIsSentBeforeTheCollectorStops()
    {
        // The request waits, its connection suspended, for a writer that is not
        // running yet; stop() waits for it, and the answer its commit brings is sent.
        EventWriter late(m_server.dbPath(), WriterOptions { 10, 8 });
        auto collector = collectorFor(late);
        QVERIFY(collector);
        RawResponse response;
        std::thread client(
            [&] { response = post(collector->port(), storePath(), auth(), "{\"message\":\"in flight\"}"); });
        QTRY_COMPARE(late.queueDepth(), 1);
        std::thread stopper([&] { collector->stop(); });
        QTRY_VERIFY(!acceptsConnections(collector->port())); // stop() closed its door and waits for the answer
        QString error;
        QVERIFY2(late.start(&error), qPrintable(error));
        stopper.join();
        client.join();
        QCOMPARE(response.status, 200);
        QVERIFY(QJsonDocument::fromJson(response.body).object().value(QStringLiteral("id")).toString().size() == 32);
    }

    void answerAfterTheCollectorIsGoneIsDropped()
    {
        // The collector is destroyed while its writer still holds the request's
        // event: stop() gives up waiting and answers 503 (libmicrohttpd would abort
        // on a suspended connection); the commit, when it comes, must not touch the
        // collector (ASan checks this in .ci/run), and the event is still stored.
        EventWriter late(m_server.dbPath(), WriterOptions { 10, 8 });
        auto collector = collectorFor(late, 100);
        QVERIFY(collector);
        QString error;
        RawResponse response;
        const quint16 port = collector->port();
        std::thread client([&] {
            response = post(port, storePath(), auth(),
                "{\"event_id\":\"0123456789abcdef0123456789abcdef\",\"message\":\"orphan\"}");
        });
        QTRY_COMPARE(late.queueDepth(), 1);
        collector.reset();
        client.join();
        QCOMPARE(response.status, 503);
        QVERIFY(response.json().value(QStringLiteral("error")).toString().contains(QStringLiteral("retry")));
        QCOMPARE(response.header("Retry-After"), QByteArray("2"));
        QVERIFY2(late.start(&error), qPrintable(error));
        late.stop(); // commits the event and runs its continuation
        auto db = Database::open(m_server.dbPath(), Database::Mode::ReadOnly, &error);
        QVERIFY2(db, qPrintable(error));
        Statement stored(db->handle(), QStringLiteral("SELECT count(*) FROM events WHERE event_id = ?"));
        stored.bind(1, QStringLiteral("0123456789abcdef0123456789abcdef"));
        QVERIFY(stored.step());
        QCOMPARE(stored.int64(0), 1);
    }
};

QTEST_GUILESS_MAIN(TestIngestHttp)
#include "tst_ingest_http.moc"
