// Issue 15, the second round of hostile input, over real HTTP: nothing is
// decoded before the key is checked, every endpoint has the same limits, the
// log cannot be forged, timestamps are clamped, HTTP framing is strict, and a
// refused body is drained so the client reads its answer. Each test names the
// finding it guards.
#include "storage/database.h"
#include "storage/database_stats.h"
#include "storage/event_queries.h"
#include "storage/storage_test_helpers.h"
#include "support/collector/brotli.h"
#include "support/collector/running_collector.h"
#include "support/fixtures.h"
#include "support/http_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

using namespace faultline;
using namespace faultline::test;

namespace {

int statusOf(const QByteArray &response) { return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0; }

// How many answers `data` holds: each has a Date header (libmicrohttpd adds one).
qsizetype answers(const QByteArray &data) { return data.count("\r\nDate: "); }

// The body of the last answer in `data`, as JSON.
QJsonObject jsonOf(const QByteArray &data)
{
    const qsizetype headEnd = data.lastIndexOf("\r\n\r\n");
    return headEnd < 0 ? QJsonObject() : QJsonDocument::fromJson(data.mid(headEnd + 4)).object();
}

} // namespace

class TestHostileInput : public QObject {
    Q_OBJECT

    RunningCollector m_server;
    std::shared_ptr<spdlog::sinks::dist_sink_mt> m_logTap = std::make_shared<spdlog::sinks::dist_sink_mt>();
    std::shared_ptr<spdlog::logger> m_originalLogger;
    Project m_project;
    quint16 m_port = 0;

    HeaderList auth() const { return { { "X-Sentry-Auth", "Sentry sentry_key=" + m_project.publicKey.toUtf8() } }; }
    HeaderList bearer() const { return { { "Authorization", "Bearer " + m_project.publicKey.toUtf8() } }; }
    QByteArray storePath() const { return m_server.storePath(); }
    QByteArray envelopePath() const { return m_server.envelopePath(); }

    void assertStillServing()
    {
        QCOMPARE(post(m_port, storePath(), auth(), "{\"message\":\"still here\"}").status, 200);
    }

    QJsonObject stored(const QString &eventId)
    {
        const std::optional<EventRow> row = m_server.storedEvent(eventId);
        return row ? QJsonDocument::fromJson(row->rawJson).object() : QJsonObject();
    }

    std::optional<EventRow> storedRow(const QString &eventId) { return m_server.storedEvent(eventId); }

private slots:
    void initTestCase()
    {
        m_originalLogger = spdlog::default_logger();
        const std::shared_ptr<spdlog::logger> tapped = m_originalLogger->clone("tapped");
        tapped->sinks().push_back(m_logTap);
        spdlog::set_default_logger(tapped);
        CollectorOptions options;
        options.limits.maxBodyBytes = 2 << 20;
        QString error;
        QVERIFY2(m_server.start(options, &error), qPrintable(error));
        m_project = m_server.project();
        m_port = m_server.port();
    }

    void cleanupTestCase()
    {
        m_server.stop();
        spdlog::set_default_logger(m_originalLogger);
    }

    // Finding 3: a keyless envelope is refused from its first line; the bomb behind it is never inflated.
    void envelopeKeyIsCheckedBeforeTheBodyIsDecoded()
    {
        // Over the 50 MiB decoded limit: decoding it all would answer 413, not 401.
        const QByteArray bomb = brotli("{}\n{\"type\":\"event\"}\n" + QByteArray(60 << 20, ' '));
        QVERIFY(bomb.size() < 64 * 1024);
        const HeaderList brotliEncoded { { "Content-Encoding", "br" } };
        RawResponse response = post(m_port, envelopePath(), brotliEncoded, bomb);
        QCOMPARE(response.status, 401);
        QVERIFY2(response.json().value("error").toString().contains("sentry_key"), response.body.constData());

        // A wrong key in the headers: refused before the body is even kept.
        response = post(m_port, envelopePath(),
            brotliEncoded + HeaderList { { "X-Sentry-Auth", "Sentry sentry_key=0123456789abcdef" } }, bomb);
        QCOMPARE(response.status, 403);

        // A first line that never ends is not decoded past its bound.
        const QByteArray noNewline = brotli("{\"dsn\":\"" + QByteArray(60 << 20, 'a'));
        response = post(m_port, envelopePath(), brotliEncoded, noNewline);
        QCOMPARE(response.status, 400);
        QVERIFY2(response.json().value("error").toString().contains("envelope header"), response.body.constData());

        // The key in the envelope's dsn still works, compressed or not.
        const QByteArray dsn = ProjectStore::dsn(m_project, m_server.collector().hostPort()).toUtf8();
        const QByteArray envelope = "{\"dsn\":\"" + dsn + "\"}\n{\"type\":\"event\"}\n{\"message\":\"via dsn\"}\n";
        QCOMPARE(post(m_port, envelopePath(), brotliEncoded, brotli(envelope)).status, 200);
        QCOMPARE(post(m_port, envelopePath(), {}, envelope).status, 200);
        assertStillServing();
    }

    // Finding 14: which project ids exist cannot be told without their key.
    void unknownProjectsAnswerLikeWrongKeys()
    {
        const HeaderList wrong { { "X-Sentry-Auth", "Sentry sentry_key=0123456789abcdef" } };
        const RawResponse unknown = post(m_port, "/api/999/store/", auth(), "{\"message\":\"x\"}");
        const RawResponse wrongKey = post(m_port, storePath(), wrong, "{\"message\":\"x\"}");
        QCOMPARE(unknown.status, 403);
        QCOMPARE(wrongKey.status, 403);
        QCOMPARE(post(m_port, "/api/999/store/", {}, "{}").status, post(m_port, storePath(), {}, "{}").status);
    }

    // Finding 4: /api/events has the event limit of every other endpoint.
    void plainEndpointHasTheEventLimit()
    {
        const QByteArray big = "{\"message\":\"" + QByteArray((1 << 20) + 10, 'x') + "\"}";
        const RawResponse response = post(m_port, "/api/events", bearer(), big);
        QCOMPARE(response.status, 413);
        QVERIFY2(response.json().value("error").toString().contains("event"), response.body.constData());
        // A page beside a small event still fits: the page has its own limit.
        const QByteArray withPage = "{\"message\":\"x\",\"page\":{\"html\":\"" + QByteArray(900 << 10, 'p') + "\"}}";
        QCOMPARE(post(m_port, "/api/events", bearer(), withPage).status, 200);
    }

    // Finding 4: counts are trimmed before the writer, and what was cut is said.
    void countsAreTrimmedBeforeTheWriter()
    {
        QJsonObject tags;
        for (int i = 0; i < 5000; ++i)
            tags.insert(QStringLiteral("t%1").arg(i), QStringLiteral("v"));
        tags.insert(QStringLiteral("long"), QString(500, QLatin1Char('v')));
        QJsonArray crumbs;
        for (int i = 0; i < 1000; ++i)
            crumbs.append(QJsonObject { { "message", QStringLiteral("crumb %1").arg(i) } });
        QJsonArray frames;
        for (int i = 0; i < 2000; ++i)
            frames.append(QJsonObject { { "function", QStringLiteral("f%1").arg(i) }, { "in_app", true } });
        const QString id = QStringLiteral("0badc0de0badc0de0badc0de0badc0de");
        const QJsonObject event {
            { "event_id", id }, { "tags", tags }, { "breadcrumbs", QJsonObject { { "values", crumbs } } },
            { "exception",
                QJsonArray { QJsonObject { { "type", "E" }, { "stacktrace", QJsonObject { { "frames", frames } } } } } }
        };
        const RawResponse response
            = post(m_port, storePath(), auth(), QJsonDocument(event).toJson(QJsonDocument::Compact));
        QCOMPARE(response.status, 200);
        const QJsonObject kept = stored(id);
        QCOMPARE(kept["tags"].toObject().size(), 200);
        QVERIFY(!kept["tags"].toObject().contains("long"));
        const QJsonArray keptCrumbs = kept["breadcrumbs"]["values"].toArray();
        QCOMPARE(keptCrumbs.size(), 100);
        QCOMPARE(keptCrumbs.last()["message"].toString(), QStringLiteral("crumb 999")); // the newest are kept
        const QJsonArray keptFrames = kept["exception"][0]["stacktrace"]["frames"].toArray();
        QCOMPARE(keptFrames.size(), 250);
        QCOMPARE(keptFrames.first()["function"].toString(), QStringLiteral("f0"));
        QCOMPARE(keptFrames.last()["function"].toString(), QStringLiteral("f1999")); // the crash frame stays
        QStringList cuts;
        for (const QJsonValue &error : kept["errors"].toArray())
            cuts.append(error["value"].toString());
        QVERIFY2(cuts.join('|').contains("tags: 5001 > 200"), qPrintable(cuts.join('|')));
        QVERIFY2(cuts.join('|').contains("breadcrumbs: 1000 > 100"), qPrintable(cuts.join('|')));
    }

    // Finding 10: timestamps outside [received - 30 d, received + 1 min] are clamped, the original kept.
    void timestampsAreClampedAndKept_data()
    {
        QTest::addColumn<QByteArray>("timestamp");
        QTest::addColumn<QString>("errorType");
        QTest::newRow("1e300") << QByteArray("1e300") << "future_timestamp";
        QTest::newRow("year 9999") << QByteArray("\"9999-12-31T23:59:59Z\"") << "future_timestamp";
        QTest::newRow("1970") << QByteArray("\"1970-01-02T00:00:00Z\"") << "past_timestamp";
        QTest::newRow("an hour ahead") << QByteArray::number(QDateTime::currentSecsSinceEpoch() + 3600)
                                       << "future_timestamp";
    }
    void timestampsAreClampedAndKept()
    {
        QFETCH(QByteArray, timestamp);
        QFETCH(QString, errorType);
        static int counter = 0;
        const QString id = QStringLiteral("7e57%1").arg(++counter, 28, 10, QLatin1Char('0'));
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const RawResponse response = post(m_port, storePath(), auth(),
            "{\"event_id\":\"" + id.toUtf8() + "\",\"message\":\"t\",\"timestamp\":" + timestamp + "}");
        QCOMPARE(response.status, 200);
        const std::optional<EventRow> row = storedRow(id);
        QVERIFY(row);
        QVERIFY2(row->timestampMs >= before - 1000 && row->timestampMs <= QDateTime::currentMSecsSinceEpoch() + 1000,
            qPrintable(QString::number(row->timestampMs)));
        const QJsonObject event = QJsonDocument::fromJson(row->rawJson).object();
        const QJsonObject error = event["errors"][0].toObject();
        QCOMPARE(error["type"].toString(), errorType);
        QCOMPARE(error["name"].toString(), QStringLiteral("timestamp"));
        QCOMPARE(error["sent_value"], QJsonDocument::fromJson("[" + timestamp + "]").array().at(0));
    }

    // Finding 6: a path cannot write a line of its own, a raw CR or an escape into the log.
    void rejectionLogEscapesAndBudgetsBytes()
    {
        auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000);
        m_logTap->add_sink(ring);
        CollectorOptions options;
        options.http.port = 0;
        Collector collector(options, m_server.dbPath(), m_server.writer()); // a fresh log budget
        QString error;
        QVERIFY2(collector.start(&error), qPrintable(error));
        const RawResponse forged = sendRaw(
            collector.port(), buildRequest("GET", "/x%0a2026-01-01%20[warning]%20forged%0d%1b[31m\\x41", {}, {}));
        QCOMPARE(forged.status, 404);
        const QByteArray longPath = "/" + QByteArray(30'000, 'a');
        for (int i = 0; i < 20; ++i)
            QCOMPARE(sendRaw(collector.port(), buildRequest("GET", longPath, {}, {})).status, 404);
        collector.stop();
        m_logTap->remove_sink(ring);

        const std::vector<std::string> lines = ring->last_formatted();
        qsizetype bytes = 0;
        bool sawForged = false;
        for (const std::string &line : lines) {
            const QByteArray text = QByteArray::fromStdString(line).chopped(1); // the sink's own newline
            bytes += text.size();
            QVERIFY2(!text.contains('\n') && !text.contains('\r') && !text.contains('\x1b'), text.constData());
            if (text.contains("forged")) {
                sawForged = true;
                QVERIFY2(text.contains("/x\\x0A2026-01-01 [warning] forged\\x0D\\x1B[31m\\x5Cx41"), text.constData());
            }
        }
        QVERIFY(sawForged);
        // 21 refusals of 30 KB paths: capped fields, and a byte budget per window.
        QVERIFY2(bytes < 12 * 1024, qPrintable(QString::number(bytes)));
    }

    // Finding 11: framing a proxy could read differently is refused with 400, and the connection closed.
    void ambiguousFramingIsRefusedAndClosed_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("TE and CL") << QByteArray("Host: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n")
                                   << "Transfer-Encoding and Content-Length";
        QTest::newRow("unknown coding") << QByteArray("Host: x\r\nTransfer-Encoding: gzip\r\n") << "Transfer-Encoding";
        QTest::newRow("no Host") << QByteArray("Content-Length: 2\r\n") << "Host";
        QTest::newRow("two Hosts") << QByteArray("Host: a\r\nHost: b\r\nContent-Length: 2\r\n") << "Host";
    }
    void ambiguousFramingIsRefusedAndClosed()
    {
        QFETCH(QByteArray, head);
        QFETCH(QString, mentions);
        // A second request pipelined behind: it must not be answered (the connection closes).
        const QByteArray request = "POST " + storePath() + " HTTP/1.1\r\n" + head + "\r\n0\r\n\r\n"
            + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
        const QByteArray answer = exchangeRaw(m_port, request, 5000);
        QCOMPARE(statusOf(answer), 400);
        QVERIFY2(answer.contains(mentions.toUtf8()), answer.constData());
        QVERIFY2(answers(answer) == 1, answer.constData());
        assertStillServing();
    }

    // Finding 11: an overflowing Content-Length gets one JSON 413 (libmicrohttpd 0.9.75
    // wrote its own HTML head twice; the request head gate answers it before), and the
    // refusal is counted like every other.
    void overflowingContentLengthIsAnsweredOnce()
    {
        const quint64 rejectedBefore = m_server.collector().stats().rejectedRequests;
        const QByteArray answer = exchangeRaw(m_port,
            "POST " + storePath() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 5000);
        QCOMPARE(statusOf(answer), 413);
        QVERIFY2(answers(answer) == 1, answer.constData());
        const QJsonObject json = jsonOf(answer);
        QCOMPARE(json.value("status_code").toInt(), 413);
        QVERIFY2(
            json.value("error").toString().contains("99999999999999999999999 bytes exceeds the"), answer.constData());
        QVERIFY(json.value("details").isArray());
        QCOMPARE(m_server.collector().stats().rejectedRequests, rejectedBefore + 1);
        assertStillServing();
    }

    // Finding 9: a damaged database is found at start, and /health says so with a 503.
    void damagedDatabaseIsReportedByHealth()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("damaged.db");
        QVERIFY(makeDamagedDatabase(path));
        QString error;
        EventWriter writer(path);
        QVERIFY2(writer.start(&error), qPrintable(error));
        QCOMPARE(writer.storageState(), StorageState::Corrupt);
        CollectorOptions options;
        options.http.port = 0;
        Collector collector(options, path, writer);
        QVERIFY2(collector.start(&error), qPrintable(error));
        const RawResponse health = sendRaw(collector.port(), buildRequest("GET", "/health", {}, {}));
        QCOMPARE(health.status, 503);
        QCOMPARE(health.json().value("storage").toString(), QStringLiteral("corrupt"));
        collector.stop();
        writer.stop();
        // The healthy one answers 200 "ok".
        const RawResponse healthy = sendRaw(m_port, buildRequest("GET", "/health", {}, {}));
        QCOMPARE(healthy.status, 200);
        QCOMPARE(healthy.json().value("storage").toString(), QStringLiteral("ok"));
    }

    // Finding 14: two id-less events in one envelope (the Node SDK's envelope, its event sent twice
    // without event_id) are both stored: the first under the envelope's id, the second under its own.
    void idlessEventsInOneEnvelopeAreBothStored()
    {
        const QList<QByteArray> lines = readFixture(QStringLiteral("node_exception_envelope.bin")).split('\n');
        QVERIFY(lines.size() >= 3);
        QJsonObject event = QJsonDocument::fromJson(lines.at(2)).object();
        QVERIFY(event.contains("event_id"));
        event.remove("event_id");
        const QByteArray payload = QJsonDocument(event).toJson(QJsonDocument::Compact);
        const QByteArray body
            = lines.at(0) + '\n' + lines.at(1) + '\n' + payload + '\n' + lines.at(1) + '\n' + payload + '\n';
        const RawResponse response = post(m_port, envelopePath(), auth(), body);
        QCOMPARE(response.status, 200);
        const QString envelopeId = QJsonDocument::fromJson(lines.at(0)).object().value("event_id").toString();
        QCOMPARE(response.json().value("id").toString(), envelopeId);
        const std::optional<EventRow> first = storedRow(envelopeId);
        QVERIFY(first);
        QString error;
        auto db = Database::open(m_server.dbPath(), Database::Mode::ReadOnly, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(EventQueries(*db).countForIssue(first->issueId), 2);
    }

    // Finding 5 (in part): client reports add rows only for Sentry's reasons and categories.
    void clientReportsAreValidated()
    {
        const QByteArray dsn = ProjectStore::dsn(m_project, m_server.collector().hostPort()).toUtf8();
        auto report = [&](const QByteArray &reason, const QByteArray &category) {
            const QByteArray payload = "{\"discarded_events\":[{\"reason\":\"" + reason + "\",\"category\":\""
                + category + "\",\"quantity\":3}]}";
            return "{\"dsn\":\"" + dsn + "\"}\n{\"type\":\"client_report\",\"length\":"
                + QByteArray::number(payload.size()) + "}\n" + payload + "\n";
        };
        QCOMPARE(post(m_port, envelopePath(), {}, report(QByteArray(100'000, 'r'), "error")).status, 200);
        QCOMPARE(post(m_port, envelopePath(), {}, report("sample_rate", QByteArray(1000, 'c'))).status, 200);
        QCOMPARE(post(m_port, envelopePath(), {}, report("queue_overflow", "error")).status, 200);
        // The writer records discards with its next batch: one event carries them in.
        QCOMPARE(post(m_port, storePath(), auth(), "{\"message\":\"carrier\"}").status, 200);
        QString error;
        auto db = Database::open(m_server.dbPath(), Database::Mode::ReadOnly, &error);
        QVERIFY2(db, qPrintable(error));
        const QList<DiscardedCount> counts = discardedCounts(*db, m_project.id);
        QCOMPARE(counts.size(), 1);
        QCOMPARE(counts.first().reason, QStringLiteral("queue_overflow"));
        QCOMPARE(counts.first().quantity, 3);
    }

    // Issue 13: a client that sends an oversized body without Expect: 100-continue reads the JSON 413.
    void oversizedBodyIsDrainedSoThe413IsRead()
    {
        const QByteArray body = "{\"message\":\"" + QByteArray(6 << 20, 'x') + "\"}";
        const RawResponse response = post(m_port, storePath(), auth(), body);
        QCOMPARE(response.status, 413);
        QVERIFY2(response.json().value("error").toString().contains("limit"), response.body.constData());
        // The same for a wrong key decided from the head: the body is read and thrown away.
        const RawResponse wrongKey = post(m_port, storePath(),
            { { "X-Sentry-Auth", "Sentry sentry_key=0123456789abcdef" } }, QByteArray(1 << 20, ' '));
        QCOMPARE(wrongKey.status, 403);
        assertStillServing();
    }
};

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostile_input.moc"
