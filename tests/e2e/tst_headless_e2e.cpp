// The real `faultline` binary, end to end: headless collector on an ephemeral
// port, captured client requests, the real Python SDK, the plain endpoint with
// curl, the CLI reading it all back, restart persistence and kill -9.
#include "support/faultline_process.h"
#include "support/fixture_replay.h"
#include "support/fixtures.h"
#include "support/http_client.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace faultline::test;

namespace {

QJsonObject eventById(const QList<QJsonObject> &events, const QString &id)
{
    for (const QJsonObject &event : events)
        if (event.value("event_id").toString() == id)
            return event;
    return {};
}

QString sqlite(const QString &dbPath, const QString &sql)
{
    QProcess process;
    process.start("sqlite3", { dbPath, sql });
    process.waitForFinished(30000);
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

} // namespace

class TestHeadlessE2e : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void fixturesLandAsCorrectGroupedEvents()
    {
        FaultlineProcess faultline(FAULTLINE_BINARY, m_dir.filePath("fixtures.db"));
        QVERIFY2(faultline.start(), qPrintable(faultline.log()));
        const QJsonObject project = faultline.defaultProject();
        const qint64 projectId = project.value("id").toInteger();
        const QString key = project.value("public_key").toString();
        QVERIFY(!key.isEmpty());
        QVERIFY(project.value("dsn").toString().startsWith("http://" + key + "@127.0.0.1:"));

        for (const QString &name : fixtureNames()) {
            const RawResponse response = replay(faultline.port(), name, projectId, key);
            QVERIFY2(response.status == 200, qPrintable(name + ": " + response.body));
        }
        const QList<QJsonObject> events = faultline.events();

        const QJsonObject zeroDivision = eventById(events, fixtureEventId("python_exception_store"));
        QCOMPARE(zeroDivision.value("exception_type").toString(), QString("ZeroDivisionError"));
        const QJsonArray frames = zeroDivision.value("frames").toArray();
        QVERIFY(frames.size() >= 2);
        const QJsonObject crashing = frames.last().toObject();
        QVERIFY(!crashing.value("context_line").toString().isEmpty());
        QVERIFY(!crashing.value("vars").toObject().isEmpty());
        QVERIFY(crashing.value("lineno").toInt() > 0);

        const QJsonObject node = eventById(events, fixtureEventId("node_exception_envelope"));
        QCOMPARE(node.value("exception_type").toString(), QString("Error"));
        QCOMPARE(node.value("exception_value").toString(), QString("boom"));
        QCOMPARE(node.value("release").toString(), QString("nodeapp@2.0.0"));

        const QJsonObject nodeMessage = eventById(events, fixtureEventId("node_message_envelope"));
        QVERIFY(!nodeMessage.isEmpty());
        QVERIFY(!nodeMessage.value("title").toString().startsWith("Error"));

        const QJsonObject django = eventById(events, fixtureEventId("django_request_store"));
        QVERIFY(!django.isEmpty());
        QVERIFY2(!QJsonDocument(django).toJson().contains("sessionid="), "cookies must be scrubbed");
        QCOMPARE(django["request"]["method"].toString(), QString("GET"));
        QCOMPARE(django["request"]["headers"]["Authorization"].toString(), QString("[Filtered]"));

        // What the SDK sent about the user, its trail and its setting, as stored.
        const QJsonObject rich = eventById(events, fixtureEventId("python_rich_event_store"));
        QCOMPARE(rich["user"]["email"].toString(), QString("jane@example.com"));
        QCOMPARE(rich["contexts"]["runtime"]["name"].toString(), QString("CPython"));
        QCOMPARE(rich["sdk"]["name"].toString(), QString("sentry.python"));
        QVERIFY(rich["extra"].toObject().contains("order_id"));
        const QJsonArray crumbs = rich["breadcrumbs"].toArray();
        QCOMPARE(crumbs.size(), 4);
        QCOMPARE(crumbs.at(2)["message"].toString(), QString("User logged in"));
        QVERIFY(crumbs.at(2)["timestamp"].toString().startsWith("20"));

        // The legacy clients' base64+zlib bodies and shapes arrive whole.
        const QJsonObject ravenGo = eventById(events, fixtureEventId("raven_go_exception_store"));
        QCOMPARE(ravenGo.value("exception_type").toString(), QString("*errors.errorString"));
        QCOMPARE(ravenGo.value("frames").toArray().size(), 3);
        const QJsonObject ravenJs = eventById(events, fixtureEventId("raven_js_stacktrace_message_store"));
        QCOMPARE(ravenJs.value("frames").toArray().last()["function"].toString(), QString("Raven.captureMessage"));

        // Sessions, transactions and client reports are accepted but are not events.
        for (const QString &skipped : QStringList { "python_sessions_envelope", "node_session_envelope" })
            QVERIFY(eventById(events, fixtureEventId(skipped)).isEmpty());
        faultline.terminate();
    }

    void sameSiteDifferentValuesIsOneIssue()
    {
        FaultlineProcess faultline(FAULTLINE_BINARY, m_dir.filePath("grouping.db"));
        QVERIFY2(faultline.start(), qPrintable(faultline.log()));
        const QJsonObject project = faultline.defaultProject();
        const QByteArray target = "/api/" + QByteArray::number(project.value("id").toInteger()) + "/store/";
        const HeaderList auth { { "X-Sentry-Auth",
            "Sentry sentry_key=" + project.value("public_key").toString().toUtf8() } };

        const QJsonObject original = QJsonDocument::fromJson(fixtureBody("python_exception_store")).object();
        for (int i = 0; i < 3; ++i) {
            QJsonObject event = original;
            event.remove("event_id");
            QJsonObject exception = event["exception"].toObject();
            QJsonArray values = exception["values"].toArray();
            QJsonObject last = values.last().toObject();
            last["value"] = QString("division by zero #%1").arg(i);
            QJsonObject stacktrace = last["stacktrace"].toObject();
            QJsonArray frames = stacktrace["frames"].toArray();
            for (int f = 0; f < frames.size(); ++f) {
                QJsonObject frame = frames[f].toObject();
                frame["lineno"] = frame["lineno"].toInt() + i * 7; // the code moved
                frames[f] = frame;
            }
            stacktrace["frames"] = frames;
            last["stacktrace"] = stacktrace;
            values[values.size() - 1] = last;
            exception["values"] = values;
            event["exception"] = exception;
            QCOMPARE(post(faultline.port(), target, auth, QJsonDocument(event).toJson()).status, 200);
        }
        const QJsonArray issues = faultline.issues();
        QCOMPARE(issues.size(), 1);
        QCOMPARE(issues.first().toObject().value("count").toInt(), 3);
        QVERIFY(issues.first().toObject().value("title").toString().startsWith("ZeroDivisionError: "));
        faultline.terminate();
    }

    void realPythonSdkReportsThroughTheDsn()
    {
        FaultlineProcess faultline(FAULTLINE_BINARY, m_dir.filePath("sdk.db"));
        QVERIFY2(faultline.start(), qPrintable(faultline.log()));
        const QString dsn = faultline.defaultProject().value("dsn").toString();
        QProcess python;
        python.setProcessChannelMode(QProcess::MergedChannels);
        python.start("/usr/bin/python3", { QString(FAULTLINE_TESTS_DIR) + "/e2e/python_sdk_client.py", dsn });
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAll().constData());

        const QList<QJsonObject> events = faultline.events();
        QCOMPARE(events.size(), 2);
        const QJsonObject error = faultline.events("level:error").value(0);
        QCOMPARE(error.value("exception_type").toString(), QString("ZeroDivisionError"));
        QCOMPARE(error.value("release").toString(), QString("shop@1.2.3"));
        QCOMPARE(error.value("environment").toString(), QString("e2e"));
        QCOMPARE(error.value("tags").toObject().value("order_kind").toString(), QString("express"));
        const QJsonArray frames = error.value("frames").toArray();
        QVERIFY(frames.size() >= 2);
        const QJsonObject crashing = frames.last().toObject();
        QCOMPARE(crashing.value("function").toString(), QString("divide"));
        QCOMPARE(crashing.value("context_line").toString().trimmed(), QString("return numerator / denominator"));
        QCOMPARE(crashing.value("vars").toObject().value("denominator").toVariant().toString(), QString("0"));
        QCOMPARE(frames.at(frames.size() - 2).toObject().value("function").toString(), QString("handle_order"));
        faultline.terminate();
    }

    void pythonSdkBacksOffWhenRateLimited()
    {
        // One event per minute: the SDK's second send gets a 429 with
        // X-Sentry-Rate-Limits, and from then on it must drop events locally
        // instead of sending them.
        FaultlineProcess faultline(FAULTLINE_BINARY, m_dir.filePath("backoff.db"));
        QVERIFY2(faultline.start({ "--rate-limit", "1" }), qPrintable(faultline.log()));
        const QString dsn = faultline.defaultProject().value("dsn").toString();
        QProcess python;
        python.setProcessChannelMode(QProcess::MergedChannels);
        python.start("/usr/bin/python3", { QString(FAULTLINE_TESTS_DIR) + "/e2e/python_sdk_flood.py", dsn, "6" });
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAll().constData());
        faultline.terminate();

        QCOMPARE(faultline.events().size(), 1);
        const int rejections = int(faultline.log().count(QStringLiteral("rejected POST")));
        QVERIFY2(rejections == 1, qPrintable(faultline.log()));
        QVERIFY(faultline.log().contains("429 project 1 is over its rate limit"));
    }

    void curlPlainEndpointFromTheReadme()
    {
        FaultlineProcess faultline(FAULTLINE_BINARY, m_dir.filePath("curl.db"));
        QVERIFY2(faultline.start(), qPrintable(faultline.log()));
        const QString key = faultline.defaultProject().value("public_key").toString();
        QProcess curl;
        curl.start("curl",
            { "-sS", "-H", "Authorization: Bearer " + key, "-d",
                "{\"message\":\"backup failed\",\"level\":\"error\",\"tags\":{\"job\":\"nightly\"}}",
                QString("http://127.0.0.1:%1/api/events").arg(faultline.port()) });
        QVERIFY(curl.waitForFinished(10000));
        const QJsonObject answer = QJsonDocument::fromJson(curl.readAllStandardOutput()).object();
        const QString id = answer.value("id").toString();
        QCOMPARE(id.size(), 32);
        const QList<QJsonObject> events = faultline.events("job:nightly");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().value("message").toString(), QString("backup failed"));

        // The event came without an id or a time: the ones assigned on ingest are stored
        // in the event itself, so the answer, the listing and the stored JSON agree.
        QCOMPARE(events.first().value("event_id").toString(), id);
        int exitCode = -1;
        const QJsonObject raw = QJsonDocument::fromJson(faultline.cli({ "event", id, "--raw" }, &exitCode)).object();
        QCOMPARE(exitCode, 0);
        QCOMPARE(raw.value("event_id").toString(), id);
        QCOMPARE(raw.value("message").toString(), QString("backup failed"));
        const double stamped = raw.value("timestamp").toDouble();
        QVERIFY(stamped > 1.7e9);
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(qint64(stamped * 1000), Qt::UTC).toString(Qt::ISODateWithMs),
            events.first().value("timestamp").toString());
        const QByteArray listed = faultline.cli({ "events", "--raw", "--query", "job:nightly" }, &exitCode).trimmed();
        QCOMPARE(exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(listed).object(), raw);
        const QJsonObject shown = QJsonDocument::fromJson(faultline.cli({ "event", id }, &exitCode)).object();
        QCOMPARE(shown.value("event_id").toString(), id);
        QCOMPARE(shown.value("timestamp").toString(), events.first().value("timestamp").toString());
        faultline.terminate();
    }

    void eventsSurviveARestart()
    {
        const QString dbPath = m_dir.filePath("restart.db");
        FaultlineProcess first(FAULTLINE_BINARY, dbPath);
        QVERIFY2(first.start(), qPrintable(first.log()));
        const QJsonObject project = first.defaultProject();
        QCOMPARE(replay(first.port(), "python_rich_event_store", project.value("id").toInteger(),
                     project.value("public_key").toString())
                     .status,
            200);
        first.terminate();

        FaultlineProcess second(FAULTLINE_BINARY, dbPath);
        QVERIFY2(second.start(), qPrintable(second.log()));
        QCOMPARE(second.defaultProject().value("public_key"), project.value("public_key"));
        QCOMPARE(second.events().size(), 1);
        QCOMPARE(second.events().first().value("exception_type").toString(), QString("KeyError"));
        second.terminate();
    }

    void everyAcknowledgedEventSurvivesKillDashNine()
    {
        const QString dbPath = m_dir.filePath("crash.db");
        FaultlineProcess faultline(FAULTLINE_BINARY, dbPath);
        QVERIFY2(faultline.start(), qPrintable(faultline.log()));
        const QJsonObject project = faultline.defaultProject();
        const QByteArray target = "/api/" + QByteArray::number(project.value("id").toInteger()) + "/store/";
        const HeaderList auth { { "X-Sentry-Auth",
                                    "Sentry sentry_key=" + project.value("public_key").toString().toUtf8() },
            { "Content-Encoding", "gzip" } };
        const QJsonObject base = QJsonDocument::fromJson(fixtureBody("python_exception_store")).object();

        QMutex mutex;
        QSet<QString> acknowledged;
        std::atomic<bool> stop { false };
        const quint16 port = faultline.port();
        QList<QThread *> senders;
        for (int t = 0; t < 6; ++t) {
            senders.append(QThread::create([&, t] {
                for (int i = 0; !stop; ++i) {
                    QJsonObject event = base;
                    const QString id = QString("%1%2").arg(t, 8, 16, QChar('0')).arg(i, 24, 16, QChar('0'));
                    event["event_id"] = id;
                    const RawResponse response = post(port, target, auth, gzip(QJsonDocument(event).toJson()));
                    if (response.status == 200) {
                        QMutexLocker lock(&mutex);
                        acknowledged.insert(response.json().value("id").toString());
                    }
                }
            }));
            senders.last()->start();
        }
        // Killed mid-flood, once enough has been acknowledged to make the check below mean something.
        const auto acknowledgedSoFar = [&] {
            QMutexLocker lock(&mutex);
            return acknowledged.size();
        };
        QTRY_VERIFY_WITH_TIMEOUT(acknowledgedSoFar() > 200, 30'000);
        faultline.kill();
        stop = true;
        for (QThread *sender : senders) {
            sender->wait();
            delete sender;
        }
        QVERIFY2(acknowledged.size() > 50, qPrintable(QString::number(acknowledged.size())));

        FaultlineProcess restarted(FAULTLINE_BINARY, dbPath);
        QVERIFY2(restarted.start(), qPrintable(restarted.log()));
        QSet<QString> stored;
        for (const QJsonObject &event : restarted.events())
            stored.insert(event.value("event_id").toString());
        restarted.terminate();
        const QSet<QString> lost = acknowledged - stored;
        QVERIFY2(lost.isEmpty(),
            qPrintable(QString("%1 of %2 acknowledged events lost").arg(lost.size()).arg(acknowledged.size())));
        QCOMPARE(sqlite(dbPath, "PRAGMA integrity_check;"), QString("ok"));
        // The search index caught up with what the killed run had not indexed yet.
        QCOMPARE(sqlite(dbPath, "SELECT count(*) FROM fts_pending;"), QString("0"));
        QCOMPARE(sqlite(dbPath, "INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1); SELECT 'ok';"),
            QString("ok"));
    }
};

QTEST_GUILESS_MAIN(TestHeadlessE2e)
#include "tst_headless_e2e.moc"
