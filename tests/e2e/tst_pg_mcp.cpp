// /mcp on a headless collector over PostgreSQL (#18), end to end: two real
// `faultline --headless` processes, one on a SQLite file and one on a
// throw-away PostgreSQL database, get the same captured client requests; then
// an agent speaking MCP's streamable HTTP transport (JSON-RPC over POST /mcp on
// the collector's port) asks each the same things: initialize, tools/list, and
// tool calls that read the issues and events those requests stored and change
// a status. Both must answer the same, apart from when each collector received
// the events (each stamps its own clock) and the project's key in its DSN, and
// the answers must be the ones the requests make.
#include "support/faultline_process.h"
#include "support/fixture_replay.h"
#include "support/http_client.h"
#include "support/postgres_cluster.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace faultline::test;

namespace {

// Captured requests of four SDKs, each its own issue (the envelope brings a 500 page along).
const QStringList kFixtures { QStringLiteral("python_exception_store"), QStringLiteral("pydantic_validation_store"),
    QStringLiteral("django_drf_validation_store"), QStringLiteral("node_exception_envelope"),
    QStringLiteral("attachment_html_envelope") };

// Keys whose values are times a collector took from its own clock on arrival.
const QStringList kArrivalTimeKeys { QStringLiteral("first_seen"), QStringLiteral("last_seen"),
    QStringLiteral("received"), QStringLiteral("received_at") };

// `value` with the arrival times replaced by a mark, everywhere inside it.
QJsonValue withoutArrivalTimes(const QJsonValue &value)
{
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(withoutArrivalTimes(item));
        return array;
    }
    if (!value.isObject())
        return value;
    QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        it.value() = kArrivalTimeKeys.contains(it.key()) ? QJsonValue(QStringLiteral("<arrival time>"))
                                                         : withoutArrivalTimes(it.value());
    return object;
}

// One MCP session over POST /mcp, as an agent that cannot spawn a process speaks it.
class McpHttpSession {
public:
    McpHttpSession(quint16 port, const QString &projectKey)
        : m_port(port)
        , m_key(projectKey.toLatin1())
    {
    }

    // initialize, then the initialized notification; the initialize result (empty on failure).
    QJsonObject initialize()
    {
        const RawResponse answer
            = post(QJsonObject { { "jsonrpc", "2.0" }, { "id", ++m_id }, { "method", "initialize" },
                { "params",
                    QJsonObject { { "protocolVersion", "2025-11-25" }, { "capabilities", QJsonObject {} },
                        { "clientInfo", QJsonObject { { "name", "tst_pg_mcp" }, { "version", "1" } } } } } });
        m_session = answer.header("Mcp-Session-Id");
        const QJsonObject result = answer.json().value("result").toObject();
        m_version = result.value("protocolVersion").toString().toLatin1();
        const RawResponse initialized
            = post(QJsonObject { { "jsonrpc", "2.0" }, { "method", "notifications/initialized" } });
        if (answer.status != 200 || m_session.isEmpty() || initialized.status != 202) {
            qWarning() << "initialize:" << answer.status << answer.body << "initialized:" << initialized.status;
            return {};
        }
        return result;
    }

    // The JSON-RPC result of `method`; empty, with a warning, when it answered an error.
    QJsonObject request(const QString &method, const QJsonObject &params = {})
    {
        const RawResponse answer
            = post(QJsonObject { { "jsonrpc", "2.0" }, { "id", ++m_id }, { "method", method }, { "params", params } });
        const QJsonObject body = answer.json();
        if (answer.status != 200 || body.value("id").toInt() != m_id || !body.contains("result")) {
            qWarning() << method << answer.status << answer.body.left(500);
            return {};
        }
        return body.value("result").toObject();
    }

    // A tool's structured answer; empty, with a warning, when the tool said it failed.
    QJsonObject tool(const QString &name, const QJsonObject &arguments)
    {
        const QJsonObject result
            = request(QStringLiteral("tools/call"), QJsonObject { { "name", name }, { "arguments", arguments } });
        if (result.value("isError").toBool() || !result.contains("structuredContent")) {
            qWarning() << name << QJsonDocument(result).toJson(QJsonDocument::Compact).left(500);
            return {};
        }
        return result.value("structuredContent").toObject();
    }

private:
    RawResponse post(const QJsonObject &message) const
    {
        HeaderList headers { { "Host", "127.0.0.1:" + QByteArray::number(m_port) },
            { "Authorization", "Bearer " + m_key }, { "Content-Type", "application/json" },
            { "Accept", "application/json, text/event-stream" } };
        if (!m_session.isEmpty())
            headers.append({ { "Mcp-Session-Id", m_session }, { "MCP-Protocol-Version", m_version } });
        return faultline::test::post(m_port, "/mcp", headers, QJsonDocument(message).toJson(QJsonDocument::Compact));
    }

    quint16 m_port;
    QByteArray m_key;
    QByteArray m_session;
    QByteArray m_version;
    int m_id = 0;
};

} // namespace

class TestPgMcp : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void initializeAndToolsListAnswerAlike();
    void searchFindsWhatTheCollectorStored();
    void everyIssueReadsAlike();
    void aStatusChangeThroughMcpIsStored();
    void cleanupTestCase();

private:
    // The same tool call on both collectors: their answers, arrival times taken out, must be equal;
    // the answer.
    QJsonObject onBoth(const QString &tool, const QJsonObject &arguments);

    QTemporaryDir m_dir;
    PostgresCluster m_cluster;
    std::unique_ptr<FaultlineProcess> m_sqlite;
    std::unique_ptr<FaultlineProcess> m_postgres;
    std::unique_ptr<McpHttpSession> m_sqliteMcp;
    std::unique_ptr<McpHttpSession> m_postgresMcp;
    QString m_sqliteKey; // the default project's
    QString m_postgresKey;
    QJsonObject m_sqliteInitialized; // what initialize answered
    QJsonObject m_postgresInitialized;
};

void TestPgMcp::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("mcp")), qPrintable(m_cluster.error()));
    m_sqlite = std::make_unique<FaultlineProcess>(FAULTLINE_BINARY, m_dir.filePath(QStringLiteral("mcp.db")));
    m_postgres = std::make_unique<FaultlineProcess>(FAULTLINE_BINARY, m_cluster.uri(QStringLiteral("mcp")));
    QVERIFY2(m_sqlite->start(), qPrintable(m_sqlite->log()));
    QVERIFY2(m_postgres->start(), qPrintable(m_postgres->log()));
    for (FaultlineProcess *collector : { m_sqlite.get(), m_postgres.get() }) {
        const QJsonObject project = collector->defaultProject();
        const QString key = project.value("public_key").toString();
        QVERIFY(!key.isEmpty());
        // One request at a time, answered after its commit: both hand out issue ids in the same order.
        for (const QString &fixture : kFixtures) {
            const RawResponse stored = replay(collector->port(), fixture, project.value("id").toInteger(), key);
            QVERIFY2(stored.status == 200, qPrintable(fixture + QStringLiteral(": ") + stored.body));
        }
        (collector == m_sqlite.get() ? m_sqliteMcp : m_postgresMcp)
            = std::make_unique<McpHttpSession>(collector->port(), key);
        (collector == m_sqlite.get() ? m_sqliteKey : m_postgresKey) = key;
    }
    m_sqliteInitialized = m_sqliteMcp->initialize();
    m_postgresInitialized = m_postgresMcp->initialize();
    QVERIFY(!m_sqliteInitialized.isEmpty());
    QVERIFY(!m_postgresInitialized.isEmpty());
}

void TestPgMcp::cleanupTestCase()
{
    for (FaultlineProcess *collector : { m_sqlite.get(), m_postgres.get() })
        if (collector)
            collector->terminate();
}

QJsonObject TestPgMcp::onBoth(const QString &tool, const QJsonObject &arguments)
{
    const QJsonObject onSqlite = m_sqliteMcp->tool(tool, arguments);
    const QJsonObject onPostgres = m_postgresMcp->tool(tool, arguments);
    const QJsonValue expected = withoutArrivalTimes(onSqlite);
    const QJsonValue actual = withoutArrivalTimes(onPostgres);
    if (actual != expected) {
        qWarning().noquote() << tool << QJsonDocument(arguments).toJson(QJsonDocument::Compact)
                             << "\nSQLite:    " << QJsonDocument(expected.toObject()).toJson(QJsonDocument::Compact)
                             << "\nPostgreSQL:" << QJsonDocument(actual.toObject()).toJson(QJsonDocument::Compact);
        return {};
    }
    return onPostgres;
}

void TestPgMcp::initializeAndToolsListAnswerAlike()
{
    QCOMPARE(m_postgresInitialized.value("protocolVersion").toString(), QStringLiteral("2025-11-25"));
    QCOMPARE(
        m_postgresInitialized.value("serverInfo").toObject().value("name").toString(), QStringLiteral("faultline"));
    QCOMPARE(m_postgresInitialized, m_sqliteInitialized);

    const QJsonObject tools = m_postgresMcp->request(QStringLiteral("tools/list"));
    QCOMPARE(tools, m_sqliteMcp->request(QStringLiteral("tools/list")));
    QStringList names;
    for (const QJsonValue &tool : tools.value("tools").toArray())
        names.append(tool.toObject().value("name").toString());
    for (const char *expected : { "list_projects", "search_issues", "get_issue", "get_event", "list_events",
             "resolve_issue", "ignore_issue", "explain_grouping" })
        QVERIFY2(names.contains(QLatin1String(expected)), expected);
}

void TestPgMcp::searchFindsWhatTheCollectorStored()
{
    // The default project with every issue unresolved, its DSN naming its own key and the collector
    // asked: on PostgreSQL too, where no collector publishes its address (several share one database).
    QJsonObject projects[2] = { m_sqliteMcp->tool(QStringLiteral("list_projects"), {}),
        m_postgresMcp->tool(QStringLiteral("list_projects"), {}) };
    QString dsns[2];
    for (int i = 0; i < 2; ++i) {
        const QJsonArray list = projects[i].value("projects").toArray();
        QCOMPARE(list.size(), 1);
        QJsonObject project = list.first().toObject();
        QCOMPARE(project.value("name").toString(), QStringLiteral("default"));
        QCOMPARE(project.value("unresolved_issues").toInt(), kFixtures.size());
        dsns[i] = project.take("dsn").toString();
        projects[i] = project;
    }
    QCOMPARE(projects[1], projects[0]);
    QCOMPARE(dsns[0], QStringLiteral("http://%1@127.0.0.1:%2/1").arg(m_sqliteKey).arg(m_sqlite->port()));
    QCOMPARE(dsns[1], QStringLiteral("http://%1@127.0.0.1:%2/1").arg(m_postgresKey).arg(m_postgres->port()));

    const QJsonObject all = onBoth(QStringLiteral("search_issues"), { { "query", "" }, { "limit", 100 } });
    const QJsonArray issues = all.value("issues").toArray();
    QCOMPARE(issues.size(), kFixtures.size());
    QCOMPARE(all.value("total").toInt(), kFixtures.size());
    QStringList titles;
    for (const QJsonValue &issue : issues)
        titles.append(issue.toObject().value("title").toString());
    QVERIFY2(titles.contains(QStringLiteral("ZeroDivisionError: division by zero")), qPrintable(titles.join(u'|')));
    QVERIFY2(titles.contains(QStringLiteral("Error: boom")), qPrintable(titles.join(u'|')));

    // The search language on the stored text.
    const QJsonArray zero
        = onBoth(QStringLiteral("search_issues"), { { "query", "division" } }).value("issues").toArray();
    QCOMPARE(zero.size(), 1);
    QCOMPARE(zero.first().toObject().value("title").toString(), QStringLiteral("ZeroDivisionError: division by zero"));
}

void TestPgMcp::everyIssueReadsAlike()
{
    const QJsonArray issues
        = onBoth(QStringLiteral("search_issues"), { { "query", "" }, { "limit", 100 } }).value("issues").toArray();
    QCOMPARE(issues.size(), kFixtures.size());
    for (const QJsonValue &listed : issues) {
        const qint64 id = listed.toObject().value("id").toInteger();
        const QJsonObject issue = onBoth(QStringLiteral("get_issue"), { { "id", id } });
        QCOMPARE(issue.value("issue").toObject().value("count").toInt(), 1);
        const QString eventId = issue.value("latest_event").toObject().value("event_id").toString();
        QCOMPARE(eventId.size(), 32);

        const QJsonArray events
            = onBoth(QStringLiteral("list_events"), { { "issue_id", id } }).value("events").toArray();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().toObject().value("event_id").toString(), eventId);
        const QJsonObject event = onBoth(QStringLiteral("get_event"), { { "event_id", eventId } });
        QCOMPARE(event.value("issue_id").toInteger(), id);
        QVERIFY(!onBoth(QStringLiteral("explain_grouping"), { { "issue_id", id } }).value("rule").toString().isEmpty());
    }
}

void TestPgMcp::aStatusChangeThroughMcpIsStored()
{
    const QJsonArray zero
        = onBoth(QStringLiteral("search_issues"), { { "query", "division" } }).value("issues").toArray();
    QCOMPARE(zero.size(), 1);
    const qint64 id = zero.first().toObject().value("id").toInteger();
    const QJsonObject resolved = onBoth(QStringLiteral("resolve_issue"), { { "id", id }, { "confirm", true } });
    QVERIFY(resolved.value("changed").toBool());
    QCOMPARE(resolved.value("previous_status").toString(), QStringLiteral("unresolved"));
    QCOMPARE(resolved.value("issue").toObject().value("status").toString(), QStringLiteral("resolved"));

    const QJsonArray found
        = onBoth(QStringLiteral("search_issues"), { { "query", "is:resolved" } }).value("issues").toArray();
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().toObject().value("id").toInteger(), id);
    // The CLI reads the change from the database the collector writes to.
    QCOMPARE(m_postgres->issues(QStringLiteral("is:resolved")).size(), 1);
    QCOMPARE(m_postgres->issues(QStringLiteral("is:unresolved")).size(), kFixtures.size() - 1);
}

QTEST_GUILESS_MAIN(TestPgMcp)
#include "tst_pg_mcp.moc"
