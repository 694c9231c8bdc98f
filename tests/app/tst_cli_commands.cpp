// `faultline projects|issues|events` against a database filled from real
// client captures, run as the real binary (read-only beside the writer).
// Every test runs once per backend (#18): on the SQLite file, and on a
// throw-away PostgreSQL server holding the same events (moved there with
// `faultline db copy`), with the same command lines and the same expectations.
#include "storage/storage_test_helpers.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/app_state.h"
#include "storage/backend.h"
#include "storage/event_writer.h"
#include "support/cli_run.h"
#include "support/fixture_events.h"
#include "support/postgres_cluster.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

using namespace faultline;
using namespace faultline::test;

class TestCliCommands : public QObject {
    Q_OBJECT

private slots:
    void initTestCase_data();
    void initTestCase();
    void init();
    void projectsJson();
    void projectsAdd();
    void issuesJson();
    void eventsJsonLines();
    void eventsLimit();
    void badQueryExitsTwo();
    void issueStatusFromTheShell();
    void missingDatabaseExitsOne();
    void tablesShowControlCharacters();
    void dbCheckFindsDamage();
    void mcpOnStdioNamesThePublishedAddress();

private:
    // The same SQLite file's contents in a database of its own on the cluster; empty when it failed.
    QString copyToPostgres(const QString &sqlitePath, const QString &database);
    bool onPostgres() const { return m_db != m_path; }

    QTemporaryDir m_dir;
    QString m_path;
    PostgresCluster m_cluster;
    QString m_uri; // the fixture events on PostgreSQL; empty when no cluster runs here
    QString m_db; // what this run's commands get as --db: m_path or m_uri
    std::unique_ptr<EventWriter> m_writer; // stays running: the CLI must read beside it
};

void TestCliCommands::initTestCase_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgresql") << true;
}

void TestCliCommands::initTestCase()
{
    if (!QFileInfo::exists(QStringLiteral(FAULTLINE_BINARY)))
        QSKIP("the faultline binary is not built");
    m_path = m_dir.filePath(QStringLiteral("cli.db"));
    m_writer = std::make_unique<EventWriter>(m_path);
    QVERIFY(m_writer->start(nullptr));
    qint64 received = 1'700'000'000'000;
    for (const char *name : { "python_exception_store", "pydantic_validation_store", "python_rich_event_store",
             "node_exception_envelope" }) {
        const std::optional<QList<WriteOutcome>> written
            = writeAndWait(*m_writer, { preparedEvent(fixtureEventJson(QString::fromLatin1(name)), received += 1000) });
        QVERIFY2(written, name);
        QVERIFY2(written->first().committed, qPrintable(written->first().error));
    }
    QVERIFY2(m_cluster.startWithDatabase(), qPrintable(m_cluster.error()));
    m_uri = copyToPostgres(m_path, QStringLiteral("cli"));
    QVERIFY(!m_uri.isEmpty());
}

void TestCliCommands::init()
{
    QFETCH_GLOBAL(bool, postgres);
    m_db = postgres ? m_uri : m_path;
}

QString TestCliCommands::copyToPostgres(const QString &sqlitePath, const QString &database)
{
    if (!m_cluster.createDatabase(database)) {
        qWarning() << m_cluster.error();
        return {};
    }
    const QString uri = m_cluster.uri(database);
    const Run copy = runCli({ QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"), sqlitePath,
        QStringLiteral("--to"), uri });
    if (copy.code != 0) {
        qWarning() << copy.err;
        return {};
    }
    return uri;
}

void TestCliCommands::projectsJson()
{
    const Run run = runCli({ QStringLiteral("projects"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
        QStringLiteral("--listen"), QStringLiteral("127.0.0.1:9000") });
    QCOMPARE(run.code, 0);
    const QJsonArray projects = QJsonDocument::fromJson(run.out).array();
    QCOMPARE(projects.size(), 1);
    const QJsonObject project = projects[0].toObject();
    QCOMPARE(project[QStringLiteral("name")].toString(), QStringLiteral("default"));
    QCOMPARE(project[QStringLiteral("id")].toInt(), 1);
    QCOMPARE(project[QStringLiteral("dsn")].toString(),
        QStringLiteral("http://%1@127.0.0.1:9000/1").arg(project[QStringLiteral("public_key")].toString()));
}

void TestCliCommands::projectsAdd()
{
    // A database no Faultline used yet: `projects add` sets it up.
    QString path = m_dir.filePath(QStringLiteral("other.db"));
    if (onPostgres()) {
        QVERIFY2(m_cluster.createDatabase(QStringLiteral("other")), qPrintable(m_cluster.error()));
        path = m_cluster.uri(QStringLiteral("other"));
    }
    const Run run = runCli(
        { QStringLiteral("projects"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--db"), path });
    QCOMPARE(run.code, 0);
    QVERIFY2(QRegularExpression(QStringLiteral("^http://[0-9a-f]{32}@127\\.0\\.0\\.1:8990/2\n$"))
                 .match(QString::fromUtf8(run.out))
                 .hasMatch(),
        run.out.constData());
    const Run again = runCli(
        { QStringLiteral("projects"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--db"), path });
    QCOMPARE(again.code, 1);
    QVERIFY(again.err.contains(QLatin1String("shop")));
}

void TestCliCommands::issuesJson()
{
    const Run run = runCli({ QStringLiteral("issues"), QStringLiteral("--db"), m_db, QStringLiteral("--json") });
    QCOMPARE(run.code, 0);
    const QJsonArray issues = QJsonDocument::fromJson(run.out).array();
    QCOMPARE(issues.size(), 4);
    const QJsonObject newest = issues[0].toObject(); // node, received last
    QVERIFY2(newest[QStringLiteral("title")].toString().contains(QLatin1String("boom")),
        qPrintable(newest[QStringLiteral("title")].toString()));
    QCOMPARE(newest[QStringLiteral("status")].toString(), QStringLiteral("unresolved"));
    QCOMPARE(newest[QStringLiteral("count")].toInt(), 1);
    QCOMPARE(newest[QStringLiteral("last_seen")].toString(), QStringLiteral("2023-11-14T22:13:24.000Z"));
    for (const char *key :
        { "id", "project_id", "title", "culprit", "level", "status", "count", "first_seen", "last_seen" })
        QVERIFY2(newest.contains(QLatin1String(key)), key);

    const Run filtered = runCli({ QStringLiteral("issues"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
        QStringLiteral("--query"), QStringLiteral("ZeroDivisionError") });
    QCOMPARE(filtered.code, 0);
    QCOMPARE(QJsonDocument::fromJson(filtered.out).array().size(), 1);
}

void TestCliCommands::eventsJsonLines()
{
    const Run run = runCli({ QStringLiteral("events"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
        QStringLiteral("--query"), QStringLiteral("has:validation") });
    QCOMPARE(run.code, 0);
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    const QJsonObject event = QJsonDocument::fromJson(lines[0]).object();
    const Event original = fixtureEvent(QStringLiteral("pydantic_validation_store"));
    QCOMPARE(event[QStringLiteral("event_id")].toString(), original.eventId);
    QCOMPARE(event[QStringLiteral("exception_type")].toString(), original.primaryException()->type);
    const QJsonArray validation = event[QStringLiteral("validation_errors")].toArray();
    QCOMPARE(validation.size(), original.validationErrors.size());
    QVERIFY(!validation.isEmpty());
    QCOMPARE(validation[0].toObject()[QStringLiteral("msg")].toString(), original.validationErrors[0].msg);

    const Run all = runCli({ QStringLiteral("events"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
        QStringLiteral("--query"), QStringLiteral("ZeroDivisionError") });
    const QJsonObject zero = QJsonDocument::fromJson(all.out.trimmed()).object();
    const Event python = fixtureEvent(QStringLiteral("python_exception_store"));
    const QJsonArray frames = zero[QStringLiteral("frames")].toArray();
    QCOMPARE(frames.size(), python.primaryException()->frames.size());
    const QJsonObject crashing = frames.last().toObject(); // outermost first: the crash is last
    QCOMPARE(crashing[QStringLiteral("function")].toString(), python.primaryException()->frames.last().function);
    QCOMPARE(crashing[QStringLiteral("lineno")].toInt(), python.primaryException()->frames.last().lineno);
    QCOMPARE(crashing[QStringLiteral("vars")].toObject(), python.primaryException()->frames.last().vars);
    QVERIFY(zero[QStringLiteral("tags")].isObject());
    QCOMPARE(zero[QStringLiteral("environment")].toString(), python.environment);
}

void TestCliCommands::eventsLimit()
{
    auto count = [&](const QStringList &extra) {
        const Run run = runCli(
            QStringList { QStringLiteral("events"), QStringLiteral("--db"), m_db, QStringLiteral("--json") } + extra);
        return run.code == 0 ? int(run.out.trimmed().split('\n').size()) : -1;
    };
    QCOMPARE(count({}), 4);
    QCOMPARE(count({ QStringLiteral("--limit"), QStringLiteral("2") }), 2);
    QCOMPARE(count({ QStringLiteral("--limit"), QStringLiteral("0") }), 4);
}

void TestCliCommands::badQueryExitsTwo()
{
    const Run run = runCli({ QStringLiteral("issues"), QStringLiteral("--db"), m_db, QStringLiteral("--query"),
        QStringLiteral("level:error is:foo") });
    QCOMPARE(run.code, 2);
    QVERIFY2(run.err.contains(QLatin1String("position 13")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String(
                 "unknown status 'foo': expected unresolved, resolved, ignored, regressed or for_review")),
        qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
    // Every mistake, each with its caret.
    const Run two = runCli({ QStringLiteral("issues"), QStringLiteral("--db"), m_db, QStringLiteral("--query"),
        QStringLiteral("level:loud x is:foo") });
    QCOMPARE(two.code, 2);
    QCOMPARE(two.err.count(QLatin1String("faultline: bad query")), 2);
    QVERIFY(two.err.contains(QLatin1String("position 14")));
}

void TestCliCommands::issueStatusFromTheShell()
{
    const Run list = runCli({ QStringLiteral("issues"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
        QStringLiteral("--query"), QStringLiteral("ZeroDivisionError") });
    const QString id
        = QString::number(QJsonDocument::fromJson(list.out).array()[0].toObject()[QStringLiteral("id")].toInt());
    auto issueJson = [&](const QString &query) {
        const Run run = runCli({ QStringLiteral("issues"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
            QStringLiteral("--query"), query });
        for (const QJsonValue &issue : QJsonDocument::fromJson(run.out).array())
            if (QString::number(issue[QStringLiteral("id")].toInt()) == id)
                return issue.toObject();
        return QJsonObject();
    };
    QCOMPARE(issueJson(QStringLiteral("is:unresolved"))[QStringLiteral("status_detail")].toString(), QString());

    Run run = runCli({ QStringLiteral("issue"), id, QStringLiteral("ignore"), QStringLiteral("--until-events"),
        QStringLiteral("5"), QStringLiteral("--db"), m_db });
    QCOMPARE(run.code, 0);
    QCOMPARE(QString::fromUtf8(run.out), QStringLiteral("issue %1: ignored until 5 more events\n").arg(id));
    QCOMPARE(issueJson(QStringLiteral("is:ignored"))[QStringLiteral("status_detail")].toString(),
        QStringLiteral("ignored until 5 more events"));

    run = runCli({ QStringLiteral("issue"), id, QStringLiteral("resolve"), QStringLiteral("--next-release"),
        QStringLiteral("--db"), m_db, QStringLiteral("--json") });
    QCOMPARE(run.code, 0);
    const QJsonObject resolved = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(resolved[QStringLiteral("status")].toString(), QStringLiteral("resolved"));
    QVERIFY(
        resolved[QStringLiteral("status_detail")].toString().startsWith(QLatin1String("resolved in the next release")));
    QCOMPARE(issueJson(QStringLiteral("is:resolved"))[QStringLiteral("status")].toString(), QStringLiteral("resolved"));

    run = runCli({ QStringLiteral("issue"), id, QStringLiteral("ignore"), QStringLiteral("--for"),
        QStringLiteral("24h"), QStringLiteral("--db"), m_db });
    QCOMPARE(run.code, 0);
    QVERIFY2(run.out.startsWith(QStringLiteral("issue %1: ignored until ").arg(id).toUtf8()), run.out.constData());
    run = runCli({ QStringLiteral("issue"), id, QStringLiteral("ignore"), QStringLiteral("--until-escalating"),
        QStringLiteral("--db"), m_db });
    QCOMPARE(run.code, 0);
    QVERIFY2(run.out.contains("ignored until it escalates"), run.out.constData());
    run = runCli({ QStringLiteral("issue"), id, QStringLiteral("unresolve"), QStringLiteral("--db"), m_db });
    QCOMPARE(run.code, 0);
    QCOMPARE(
        issueJson(QStringLiteral("is:unresolved"))[QStringLiteral("status")].toString(), QStringLiteral("unresolved"));
    run = runCli({ QStringLiteral("issue"), id, QStringLiteral("unresolve"), QStringLiteral("--db"), m_db });
    QVERIFY(run.out.contains("(unchanged)"));

    // Conditions that do not fit, a bad duration, no such issue.
    QCOMPARE(runCli({ QStringLiteral("issue"), id, QStringLiteral("resolve"), QStringLiteral("--for"),
                        QStringLiteral("24h"), QStringLiteral("--db"), m_db })
                 .code,
        2);
    const Run badDuration = runCli({ QStringLiteral("issue"), id, QStringLiteral("ignore"), QStringLiteral("--for"),
        QStringLiteral("soon"), QStringLiteral("--db"), m_db });
    QCOMPARE(badDuration.code, 2);
    QVERIFY(badDuration.err.contains(QLatin1String("--for expects a duration")));
    QCOMPARE(runCli({ QStringLiteral("issue"), QStringLiteral("999999"), QStringLiteral("resolve"),
                        QStringLiteral("--db"), m_db })
                 .code,
        1);
}

void TestCliCommands::missingDatabaseExitsOne()
{
    const QString missing
        = onPostgres() ? m_cluster.uri(QStringLiteral("nope")) : m_dir.filePath(QStringLiteral("nope.db"));
    const Run run = runCli({ QStringLiteral("events"), QStringLiteral("--db"), missing });
    QCOMPARE(run.code, 1);
    QVERIFY2(run.err.contains(onPostgres() ? QStringLiteral("nope") : missing), qPrintable(run.err));
    QVERIFY(!QFile::exists(missing));
}

// Issue 15, finding 8: a title with ESC, BEL and CR must not drive the terminal.
void TestCliCommands::tablesShowControlCharacters()
{
    const QString path = m_dir.filePath(QStringLiteral("hostile_titles.db"));
    {
        EventWriter writer(path);
        QVERIFY(writer.start(nullptr));
        const std::optional<QList<WriteOutcome>> written = writeAndWait(writer,
            { preparedEvent(R"({"message":"evil \u001b[2J\u001b]0;owned\u0007 title\rfake\u009b1m","level":"error"})",
                EventOrigin { 1, 1'700'000'000'000, {}, {}, 0 }) });
        QVERIFY(written);
        QVERIFY2(written->first().committed, qPrintable(written->first().error));
    }
    const QString location = onPostgres() ? copyToPostgres(path, QStringLiteral("hostile_titles")) : path;
    QVERIFY(!location.isEmpty());
    for (const char *command : { "issues", "events" }) {
        const Run run = runCli({ QString::fromLatin1(command), QStringLiteral("--db"), location });
        QCOMPARE(run.code, 0);
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(!out.contains(QChar(0x1b)) && !out.contains(QChar(0x07)) && !out.contains(QChar('\r'))
                && !out.contains(QChar(0x9b)),
            qPrintable(out.toUtf8().toPercentEncoding(" \n")));
        QVERIFY2(out.contains(QLatin1String("evil \\x1B[2J\\x1B]0;owned\\x07 title\\x0Dfake\\x9B1m")), qPrintable(out));
    }
}

// Issue 15, finding 9: `faultline db check` says whether the file is whole, and how to recover.
void TestCliCommands::dbCheckFindsDamage()
{
    if (onPostgres())
        QSKIP("a damaged file is SQLite's; db check on PostgreSQL is tested in tst_cli_postgres");
    const Run healthy = runCli({ QStringLiteral("db"), QStringLiteral("check"), QStringLiteral("--db"), m_db });
    QCOMPARE(healthy.code, 0);
    QVERIFY2(healthy.out.contains(": ok"), healthy.out.constData());

    const QString path = m_dir.filePath(QStringLiteral("damaged.db"));
    QVERIFY(makeDamagedDatabase(path));
    const Run damaged = runCli({ QStringLiteral("db"), QStringLiteral("check"), QStringLiteral("--db"), path });
    QCOMPARE(damaged.code, 1);
    QVERIFY2(damaged.err.contains(QLatin1String("damaged")) && damaged.err.contains(QLatin1String(".recover")),
        qPrintable(damaged.err));
}

void TestCliCommands::mcpOnStdioNamesThePublishedAddress()
{
    // Where a collector said it listens, read by `faultline mcp` through the store each tool call opens.
    {
        auto store = openStorageBackend(m_db, BackendUse::Write);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().detail));
        QVERIFY(store.value()->setAppState(kCollectorAddressKey, QStringLiteral("10.20.30.40:8123")));
    }
    const Run run = runCli({ QStringLiteral("mcp"), QStringLiteral("--db"), m_db },
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})"
        "\n"
        R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
        "\n"
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_projects","arguments":{}}})"
        "\n");
    {
        auto store = openStorageBackend(m_db, BackendUse::Write); // the other tests expect nothing published
        QVERIFY(store && store.value()->setAppState(kCollectorAddressKey, QString()));
    }
    QCOMPARE(run.code, 0);
    QJsonObject listed;
    for (const QByteArray &line : run.out.split('\n')) {
        const QJsonObject reply = QJsonDocument::fromJson(line).object();
        if (reply.value(QStringLiteral("id")).toInt() == 2)
            listed = reply.value(QStringLiteral("result"))
                         .toObject()
                         .value(QStringLiteral("structuredContent"))
                         .toObject();
    }
    const QJsonArray projects = listed.value(QStringLiteral("projects")).toArray();
    QVERIFY2(projects.size() == 1, run.out.constData());
    const QString dsn = projects.first().toObject().value(QStringLiteral("dsn")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral(R"(^http://[0-9a-f]{32}@10\.20\.30\.40:8123/1$)")).match(dsn).hasMatch(),
        qPrintable(dsn));
}

QTEST_GUILESS_MAIN(TestCliCommands)
#include "tst_cli_commands.moc"
