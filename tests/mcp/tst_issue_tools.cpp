// The tools over a real store: answers stay bounded however big the event,
// paging visits every issue once, and status changes report what changed.
// Every test runs once per backend (#18): on the SQLite file, and on a
// throw-away PostgreSQL server holding a copy of the same events.
#include "mcp/issue_tools.h"
#include "mcp/mcp_server.h"
#include "mcp/report_budget.h"
#include "storage/storage_test_helpers.h"
#include "support/postgres_copy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

// Where the collector serving these tools listens, as app/ would say.
const CollectorHostPort kCollector = [](const StorageBackend &) { return QStringLiteral("10.1.2.3:9123"); };

QString hexId(int n) { return QStringLiteral("%1").arg(n, 32, 16, QLatin1Char('0')); }

IncomingEvent incoming(const QJsonObject &json, qint64 receivedMs) { return preparedEvent(json, receivedMs); }

// A runaway recursion: 100 in-app frames, each with 30 locals of 1,000
// characters and a 5,000-character (minified) source line.
QJsonObject hugeEvent()
{
    QJsonArray frames;
    for (int i = 0; i < 100; ++i) {
        QJsonObject vars;
        for (int v = 0; v < 30; ++v)
            vars.insert(QStringLiteral("local_%1").arg(v), QString(1000, u'x'));
        frames.append(QJsonObject { { "filename", "app/walk.py" }, { "module", "app.walk" },
            { "function", QStringLiteral("step_%1").arg(i) }, { "lineno", i + 1 }, { "in_app", true },
            { "context_line", QString(5000, u'y') }, { "pre_context", QJsonArray { "def step():" } },
            { "post_context", QJsonArray { "" } }, { "vars", vars } });
    }
    const QJsonObject exception { { "type", "RecursionError" }, { "value", "maximum recursion depth exceeded" },
        { "stacktrace", QJsonObject { { "frames", frames } } } };
    return { { "event_id", hexId(1) }, { "platform", "python" }, { "level", "error" },
        { "exception", QJsonObject { { "values", QJsonArray { exception } } } } };
}

QJsonObject structured(const QJsonObject &result)
{
    if (result.value("isError").toBool())
        qWarning() << "tool error:" << result.value("content").toArray().at(0).toObject().value("text").toString();
    return result.value("structuredContent").toObject();
}

qsizetype textSize(const QJsonObject &result)
{
    return result.value("content").toArray().at(0).toObject().value("text").toString().toUtf8().size();
}

} // namespace

class TestIssueTools : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dbPath;
    PostgresCluster m_cluster;
    QString m_uri; // m_dbPath's events on PostgreSQL
    bool m_onPostgres = false;
    QString m_location; // what this run's tools open: m_dbPath or m_uri

    // `sqlitePath` itself, or its copy on the cluster when this run is PostgreSQL's.
    QString locationOf(const QString &sqlitePath, const QString &database)
    {
        if (!m_onPostgres)
            return sqlitePath;
        QString error;
        const QString uri = copyIntoCluster(m_cluster, sqlitePath, database, &error);
        if (uri.isEmpty())
            qWarning() << "copying into PostgreSQL:" << error;
        return uri;
    }

private slots:
    void initTestCase_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("sqlite") << false;
        QTest::newRow("postgresql") << true;
    }

    void init()
    {
        QFETCH_GLOBAL(bool, postgres);
        m_onPostgres = postgres;
        m_location = postgres ? m_uri : m_dbPath;
    }

    void initTestCase()
    {
        m_dbPath = m_dir.filePath("tools.db");
        QList<IncomingEvent> events { incoming(hugeEvent(), 1'700'000'000'000) };
        // 50 more issues (distinct messages: free-standing numbers would be masked
        // by grouping, a job's name is not), "job j44 failed" with three events.
        for (int i = 0; i < 50; ++i)
            events.append(
                incoming({ { "event_id", hexId(100 + i) }, { "message", QStringLiteral("job j%1 failed").arg(i) } },
                    1'700'000'100'000 + i * 1000));
        for (int i = 0; i < 2; ++i)
            events.append(incoming(
                { { "event_id", hexId(200 + i) }, { "message", "job j44 failed" } }, 1'700'000'200'000 + i * 1000));
        const QList<WriteOutcome> outcomes = writeAll(m_dbPath, events);
        QCOMPARE(outcomes.size(), events.size());
        for (const WriteOutcome &outcome : outcomes)
            QVERIFY2(outcome.committed, qPrintable(outcome.error));
        QVERIFY2(m_cluster.startWithDatabase(), qPrintable(m_cluster.error()));
        m_onPostgres = true;
        m_uri = locationOf(m_dbPath, QStringLiteral("tools"));
        QVERIFY(!m_uri.isEmpty());
    }

    void hugeEventsStayWithinTheBudget()
    {
        IssueTools tools(m_location, kCollector);
        const QJsonObject result = tools.call("get_event", { { "event_id", hexId(1) } });
        const QJsonObject event = structured(result);
        QVERIFY2(textSize(result) <= kReportBudgetBytes,
            qPrintable(QString::number(textSize(result)) + " " + event.value("trimmed_for_size").toString()));
        QVERIFY(event.value("trimmed_for_size").toString().contains("locals of older frames"));
        const QJsonObject exception = event.value("exceptions").toArray().last().toObject();
        QCOMPARE(exception.value("frames_total").toInt(), 100);
        QCOMPARE(exception.value("frames_omitted_oldest").toInt(), 60);
        const QJsonArray frames = exception.value("frames").toArray();
        QVERIFY(!frames.isEmpty() && frames.size() <= 40);
        // The crash end keeps its locals (capped) and its source line (capped).
        const QJsonObject crash = frames.last().toObject();
        QCOMPARE(crash.value("function").toString(), QString("step_99"));
        QCOMPARE(crash.value("vars_omitted").toInt(), 0);
        const QJsonObject vars = crash.value("vars").toObject();
        QVERIFY(!vars.isEmpty());
        for (const QJsonValue &value : vars)
            QVERIFY(value.toString().size() < 400);
        QVERIFY(crash.value("context").toObject().value("line").toString().size() < 400);
        QVERIFY(!frames.first().toObject().contains("vars")); // the oldest gave theirs up first

        const QJsonObject issueResult = tools.call("get_issue", { { "id", event.value("issue_id") } });
        QVERIFY(textSize(issueResult) <= kReportBudgetBytes + 4096); // + the issue's summary
        QCOMPARE(structured(issueResult).value("latest_event").toObject().value("event_id").toString(), hexId(1));
    }

    void projectDsnsNameTheCollectorServingThem()
    {
        IssueTools tools(m_location, kCollector);
        const QJsonArray projects = structured(tools.call("list_projects", {})).value("projects").toArray();
        QCOMPARE(projects.size(), 1);
        const QString dsn = projects.first().toObject().value("dsn").toString();
        QVERIFY2(
            QRegularExpression(QStringLiteral(R"(^http://[0-9a-f]{32}@10\.1\.2\.3:9123/1$)")).match(dsn).hasMatch(),
            qPrintable(dsn));
    }

    void pagingVisitsEveryIssueOnce()
    {
        IssueTools tools(m_location, kCollector);
        QSet<qint64> seen;
        QString cursor;
        QList<int> pageSizes;
        do {
            QJsonObject args { { "query", "" }, { "limit", 20 } };
            if (!cursor.isEmpty())
                args.insert("cursor", cursor);
            const QJsonObject page = structured(tools.call("search_issues", args));
            QCOMPARE(page.value("total").toInt(), 51);
            const QJsonArray issues = page.value("issues").toArray();
            pageSizes.append(int(issues.size()));
            for (const QJsonValue &issue : issues)
                seen.insert(issue.toObject().value("id").toInteger());
            cursor = page.value("nextCursor").toString();
        } while (!cursor.isEmpty() && pageSizes.size() < 10);
        QCOMPARE(pageSizes, (QList<int> { 20, 20, 11 }));
        QCOMPARE(seen.size(), 51);
    }

    void resourcesArePagedByFifty()
    {
        McpServer server(m_location, kCollector);
        server.handleText(
            R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})");
        const auto first = server.handleText(R"({"jsonrpc":"2.0","id":2,"method":"resources/list"})");
        QVERIFY(first);
        const QJsonObject page = QJsonDocument::fromJson(*first).object().value("result").toObject();
        QCOMPARE(page.value("resources").toArray().size(), 50);
        const QString cursor = page.value("nextCursor").toString();
        QVERIFY(!cursor.isEmpty());
        const QJsonObject next = QJsonDocument::fromJson(
            *server.handleText(
                QJsonDocument(QJsonObject { { "jsonrpc", "2.0" }, { "id", 3 }, { "method", "resources/list" },
                                  { "params", QJsonObject { { "cursor", cursor } } } })
                    .toJson(QJsonDocument::Compact)))
                                     .object()
                                     .value("result")
                                     .toObject();
        QCOMPARE(next.value("resources").toArray().size(), 1);
        QVERIFY(!next.contains("nextCursor"));
        // The oldest activity comes last: the huge event's issue.
        QCOMPARE(next.value("resources")[0]["title"].toString(),
            QString("RecursionError: maximum recursion depth exceeded"));
    }

    void eventsOfAnIssuePageNewestFirst()
    {
        IssueTools tools(m_location, kCollector);
        const qint64 issue = structured(tools.call("search_issues", { { "query", "\"job j44 failed\"" } }))
                                 .value("issues")[0]["id"]
                                 .toInteger();
        const QJsonObject first = structured(tools.call("list_events", { { "issue_id", issue }, { "limit", 2 } }));
        QCOMPARE(first.value("events_stored").toInt(), 3);
        QCOMPARE(first.value("events")[0]["event_id"].toString(), hexId(201));
        const QJsonObject second = structured(tools.call(
            "list_events", { { "issue_id", issue }, { "limit", 2 }, { "cursor", first.value("nextCursor") } }));
        QCOMPARE(second.value("events").toArray().size(), 1);
        QCOMPARE(second.value("events")[0]["event_id"].toString(), hexId(144));
        QVERIFY(!second.contains("nextCursor"));
    }

    // 30 releases and 40 tag keys of 12 values each: get_issue keeps the newest 20
    // releases, 25 keys and 10 values per key, and says what it left out.
    void theSummaryIsBounded()
    {
        const QString path = m_dir.filePath("summary.db");
        QList<IncomingEvent> events;
        for (int i = 0; i < 36; ++i) {
            QJsonObject tags;
            for (int k = 0; k < 40; ++k)
                tags.insert(QStringLiteral("key%1").arg(k, 2, 10, QLatin1Char('0')), QStringLiteral("v%1").arg(i % 12));
            events.append(incoming({ { "event_id", hexId(300 + i) }, { "message", "disk full" }, { "tags", tags },
                                       { "release", QStringLiteral("1.0.%1").arg(std::min(i, 29)) },
                                       { "user", QJsonObject { { "id", QStringLiteral("u%1").arg(i % 4) } } } },
                1'700'000'000'000 + i * 1000));
        }
        for (const WriteOutcome &outcome : writeAll(path, events))
            QVERIFY2(outcome.committed, qPrintable(outcome.error));
        const QString location = locationOf(path, QStringLiteral("summary"));
        QVERIFY(!location.isEmpty());
        IssueTools tools(location, kCollector);
        const QJsonObject issue = structured(tools.call("get_issue", { { "id", 1 } })).value("issue").toObject();
        QCOMPARE(issue.value("count").toInt(), 36);
        QCOMPARE(issue.value("users").toInt(), 4);
        QCOMPARE(issue.value("first_release").toString(), QString("1.0.0"));
        QCOMPARE(issue.value("last_release").toString(), QString("1.0.29"));
        const QJsonArray releases = issue.value("releases").toArray();
        QCOMPARE(releases.size(), 20);
        QCOMPARE(issue.value("releases_omitted").toInt(), 10);
        QCOMPARE(releases.first()["release"].toString(), QString("1.0.10"));
        QCOMPARE(releases.last()["release"].toString(), QString("1.0.29"));
        QCOMPARE(releases.last()["count"].toInt(), 7); // events 29 to 35
        const QJsonArray tags = issue.value("tags").toArray();
        QCOMPARE(tags.size(), 25);
        QCOMPARE(tags.size() + issue.value("tag_keys_omitted").toInt(), 2 + 40); // release, user + 40
        QCOMPARE(tags[0]["key"].toString(), QString("release"));
        QCOMPARE(tags[0]["top"][0]["value"].toString(), QString("1.0.29"));
        QCOMPARE(tags[0]["top"][0]["percent"].toDouble(), 19.4); // 7 of 36
        QCOMPARE(tags[1]["key"].toString(), QString("user"));
        const QJsonObject key00 = tags[2].toObject();
        QCOMPARE(key00.value("key").toString(), QString("key00"));
        QCOMPARE(key00.value("distinct_values").toInt(), 12);
        QCOMPARE(key00.value("top").toArray().size(), 10);
        QCOMPARE(key00.value("top")[0]["count"].toInt(), 3);
        QCOMPARE(key00.value("top")[0]["percent"].toDouble(), 8.3);
    }

    void statusChangesSayWhatChanged()
    {
        IssueTools tools(m_location, kCollector);
        const QJsonObject refused = tools.call("ignore_issue", { { "id", 2 }, { "confirm", false } });
        QVERIFY(refused.value("isError").toBool());
        const QJsonObject first = structured(tools.call("ignore_issue", { { "id", 2 }, { "confirm", true } }));
        QCOMPARE(first.value("changed").toBool(), true);
        QCOMPARE(first.value("issue")["status"].toString(), QString("ignored"));
        const QJsonObject again = structured(tools.call("ignore_issue", { { "id", 2 }, { "confirm", true } }));
        QCOMPARE(again.value("changed").toBool(), false);
        QCOMPARE(again.value("previous_status").toString(), QString("ignored"));
        const QJsonObject resolved = structured(tools.call("resolve_issue", { { "id", "2" }, { "confirm", true } }));
        QCOMPARE(resolved.value("issue")["status"].toString(), QString("resolved"));
    }
};

QTEST_GUILESS_MAIN(TestIssueTools)
#include "tst_issue_tools.moc"
