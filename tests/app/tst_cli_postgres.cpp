// `faultline` commands with `--db postgresql://…` (#18), run as the real
// binary against a throw-away server: the same commands and the same output
// as on a SQLite file holding the same events; `db check`, which checks
// what PostgreSQL leaves to Faultline.
#include "storage/storage_test_helpers.h"

#include "model/envelope.h"
#include "storage/backend.h"
#include "storage/postgres/pg_backend.h"
#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_partitions.h"
#include "support/cli_run.h"
#include "support/fixtures.h"
#include "support/postgres_cluster.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

class TestCliPostgres : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void projectsAddCreatesTheSchemaAndPrintsTheDsn();
    void projectsListsWhatWasAdded();
    void aTakenNameIsRefused();
    void unreachableServerIsAClearErrorWithoutPassword();
    void readsAnswerAsOnSqlite_data();
    void readsAnswerAsOnSqlite();
    void pagesListTheAttachedPage();
    void statusCommandsChangeBothAlike();
    void mergeAndUnmergeChangeBothAlike();
    void groupingRulesAndRegroupChangeBothAlike();
    void projectLimitsChangeBothAlike();
    void dbCheckLooksAtWhatFaultlineKeeps();

private:
    // The same command on both backends: the same exit code, output and error; the output.
    QString runOnBoth(const QStringList &args);
    QString uri() const { return m_cluster.uri(QStringLiteral("cli")); }
    QString eventsUri() const { return m_cluster.uri(QStringLiteral("events")); }
    PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_sqlitePath;
    QStringList m_eventIds;
};

void TestCliPostgres::initTestCase()
{
    if (!QFileInfo::exists(QStringLiteral(FAULTLINE_BINARY)))
        QSKIP("the faultline binary is not built");
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("cli")), qPrintable(m_cluster.error()));
    QVERIFY2(m_cluster.createDatabase(QStringLiteral("events")), qPrintable(m_cluster.error()));

    // The same real events into a SQLite file and into PostgreSQL, one at a time, so
    // that both hand out issue ids in arrival order and the outputs can be compared whole.
    QList<IncomingEvent> events;
    qint64 received = 1'780'000'000'000;
    for (const char *name : { "python_exception_store", "pydantic_validation_store", "python_rich_event_store",
             "browser_message_store", "node_exception_envelope", "django_request_store", "attachment_html_envelope" })
        events.append(preparedFixture(QString::fromLatin1(name), received += 1000));
    // The envelope's 500 page goes with its event, as the collector stores it: `faultline pages` lists it.
    const auto envelope = parseEnvelope(fixtureBody(QStringLiteral("attachment_html_envelope")));
    QVERIFY(envelope);
    for (const EnvelopeItem &item : envelope->items)
        if (item.type == QLatin1String("attachment"))
            events.last().attachments.append(Attachment { item.header.value(QLatin1String("filename")).toString(),
                item.header.value(QLatin1String("content_type")).toString(),
                item.header.value(QLatin1String("attachment_type")).toString(), item.payload });
    QCOMPARE(events.last().attachments.size(), 1);
    m_sqlitePath = m_dir.filePath(QStringLiteral("cli.db"));
    for (const IncomingEvent &incoming : events) {
        const QList<WriteOutcome> written = writeAll(m_sqlitePath, { incoming });
        QVERIFY(written.size() == 1 && written.first().committed);
        m_eventIds.append(written.first().eventId);
    }
    auto backend = openStorageBackend(eventsUri(), BackendUse::Create);
    QVERIFY2(backend, qPrintable(backend.error().detail));
    PgBatchWriter writer(static_cast<PgBackend &>(*backend.value()).connection());
    for (const IncomingEvent &incoming : events) {
        const auto written = writer.write({ &incoming });
        QVERIFY2(written, qPrintable(written.error().message));
    }
}

void TestCliPostgres::projectsAddCreatesTheSchemaAndPrintsTheDsn()
{
    // Nothing set the database up yet: reading says so, adding creates it.
    const Run before = runCli({ QStringLiteral("projects"), QStringLiteral("--db"), uri() });
    QCOMPARE(before.code, 1);
    QVERIFY2(before.err.contains(QLatin1String("holds no Faultline database")), qPrintable(before.err));

    const Run run = runCli({ QStringLiteral("projects"), QStringLiteral("add"), QStringLiteral("api"),
        QStringLiteral("--db"), uri(), QStringLiteral("--listen"), QStringLiteral("10.0.0.5:8990") });
    QVERIFY2(run.code == 0, qPrintable(run.err));
    // The default project is 1, as on a fresh SQLite file; "api" the next.
    QVERIFY2(QRegularExpression(QStringLiteral("^http://[0-9a-f]{32}@10\\.0\\.0\\.5:8990/2\n$"))
                 .match(QString::fromUtf8(run.out))
                 .hasMatch(),
        run.out.constData());
}

void TestCliPostgres::projectsListsWhatWasAdded()
{
    const Run added = runCli({ QStringLiteral("projects"), QStringLiteral("add"), QStringLiteral("web"),
        QStringLiteral("--db"), uri(), QStringLiteral("--json") });
    QVERIFY2(added.code == 0, qPrintable(added.err));
    const QJsonObject web = QJsonDocument::fromJson(added.out).object();
    QCOMPARE(web.value(QStringLiteral("name")).toString(), QStringLiteral("web"));

    const Run json = runCli({ QStringLiteral("projects"), QStringLiteral("--db"), uri(), QStringLiteral("--json") });
    QVERIFY2(json.code == 0, qPrintable(json.err));
    const QJsonArray projects = QJsonDocument::fromJson(json.out).array();
    QCOMPARE(projects.size(), 3);
    QCOMPARE(projects.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("default"));
    QCOMPARE(projects.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("api"));
    QCOMPARE(projects.at(2).toObject(), web);

    const Run table = runCli({ QStringLiteral("projects"), QStringLiteral("--db"), uri() });
    QVERIFY2(table.code == 0, qPrintable(table.err));
    const QStringList lines = QString::fromUtf8(table.out).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines.at(0).startsWith(QLatin1String("ID    NAME")));
    QVERIFY2(lines.at(3).startsWith(QStringLiteral("%1 web").arg(web.value(QStringLiteral("id")).toInt(), -5)),
        qPrintable(lines.at(3)));
    QVERIFY(lines.at(3).endsWith(web.value(QStringLiteral("dsn")).toString()));
}

void TestCliPostgres::aTakenNameIsRefused()
{
    runCli(
        { QStringLiteral("projects"), QStringLiteral("add"), QStringLiteral("twice"), QStringLiteral("--db"), uri() });
    const Run run = runCli(
        { QStringLiteral("projects"), QStringLiteral("add"), QStringLiteral("twice"), QStringLiteral("--db"), uri() });
    QCOMPARE(run.code, 1);
    QCOMPARE(
        run.err, QStringLiteral("faultline: cannot add project 'twice': a project named \"twice\" exists already\n"));
}

void TestCliPostgres::unreachableServerIsAClearErrorWithoutPassword()
{
    // Port 1 on this machine: nothing listens there.
    const Run run = runCli({ QStringLiteral("projects"), QStringLiteral("--db"),
        QStringLiteral("postgresql://someone:s3cret@127.0.0.1:1/faultline") });
    QCOMPARE(run.code, 1);
    QVERIFY2(run.err.startsWith(
                 QLatin1String("faultline: cannot connect to PostgreSQL at postgresql://someone:***@127.0.0.1:1/")),
        qPrintable(run.err));
    QVERIFY(!run.err.contains(QLatin1String("s3cret")));
    QVERIFY(run.out.isEmpty());
}

void TestCliPostgres::readsAnswerAsOnSqlite_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("issues") << QStringList { QStringLiteral("issues") };
    QTest::newRow("issues --json") << QStringList { QStringLiteral("issues"), QStringLiteral("--json") };
    QTest::newRow("issues -q") << QStringList { QStringLiteral("issues"), QStringLiteral("-q"),
        QStringLiteral("level:error divis -release:nope") };
    QTest::newRow("issues -q tag") << QStringList { QStringLiteral("issues"), QStringLiteral("-q"),
        QStringLiteral("feature:checkout"), QStringLiteral("--json") };
    QTest::newRow("issues -n 2") << QStringList { QStringLiteral("issues"), QStringLiteral("-n"), QStringLiteral("2") };
    QTest::newRow("events") << QStringList { QStringLiteral("events") };
    QTest::newRow("events --json") << QStringList { QStringLiteral("events"), QStringLiteral("--json") };
    QTest::newRow("events --raw -q") << QStringList { QStringLiteral("events"), QStringLiteral("--raw"),
        QStringLiteral("-q"), QStringLiteral("\"division by zero\"") };
    QTest::newRow("events -n 1") << QStringList { QStringLiteral("events"), QStringLiteral("-n"), QStringLiteral("1") };
    QTest::newRow("issue 3") << QStringList { QStringLiteral("issue"), QStringLiteral("3") };
    QTest::newRow("issue 3 --json") << QStringList { QStringLiteral("issue"), QStringLiteral("3"),
        QStringLiteral("--json") };
    QTest::newRow("issue 99") << QStringList { QStringLiteral("issue"), QStringLiteral("99") };
    QTest::newRow("bad query") << QStringList { QStringLiteral("issues"), QStringLiteral("-q"),
        QStringLiteral("level:>=nope") };
    QTest::newRow("pages") << QStringList { QStringLiteral("pages") };
    QTest::newRow("pages --json") << QStringList { QStringLiteral("pages"), QStringLiteral("--json") };
    QTest::newRow("pages --project 1") << QStringList { QStringLiteral("pages"), QStringLiteral("--project"),
        QStringLiteral("1"), QStringLiteral("--json") };
    QTest::newRow("pages --project 9") << QStringList { QStringLiteral("pages"), QStringLiteral("--project"),
        QStringLiteral("9") };
}

void TestCliPostgres::readsAnswerAsOnSqlite()
{
    QFETCH(QStringList, args);
    const Run sqlite = runCli(args + QStringList { QStringLiteral("--db"), m_sqlitePath });
    const Run postgres = runCli(args + QStringList { QStringLiteral("--db"), eventsUri() });
    QCOMPARE(postgres.code, sqlite.code);
    QCOMPARE(postgres.err, sqlite.err);
    QVERIFY2(sqlite.code != 0 || !sqlite.out.isEmpty(), "an empty answer compares nothing");
    QCOMPARE(QString::fromUtf8(postgres.out), QString::fromUtf8(sqlite.out));
}

void TestCliPostgres::pagesListTheAttachedPage()
{
    // attachment_html_envelope carries a 500 page: one group, its issue, its bytes' hash.
    const QJsonArray pages
        = QJsonDocument::fromJson(runOnBoth({ QStringLiteral("pages"), QStringLiteral("--json") }).toUtf8()).array();
    QCOMPARE(pages.size(), 1);
    const QJsonObject page = pages.first().toObject();
    QCOMPARE(page.value(QStringLiteral("events")).toInt(), 1);
    QCOMPARE(page.value(QStringLiteral("sha256")).toString().size(), 64);
    QCOMPARE(page.value(QStringLiteral("issue_ids")).toArray().size(), 1);
}

void TestCliPostgres::statusCommandsChangeBothAlike()
{
    for (const QString &event : { m_eventIds.first(), m_eventIds.at(2) }) {
        const Run sqlite = runCli({ QStringLiteral("event"), event, QStringLiteral("--db"), m_sqlitePath });
        const Run postgres = runCli({ QStringLiteral("event"), event, QStringLiteral("--db"), eventsUri() });
        QVERIFY2(sqlite.code == 0, qPrintable(sqlite.err));
        QCOMPARE(QString::fromUtf8(postgres.out), QString::fromUtf8(sqlite.out));
    }
    const QList<QStringList> changes = { { QStringLiteral("1"), QStringLiteral("resolve") },
        { QStringLiteral("2"), QStringLiteral("ignore"), QStringLiteral("--until-events"), QStringLiteral("5") },
        { QStringLiteral("3"), QStringLiteral("resolve"), QStringLiteral("--next-release"), QStringLiteral("--json") },
        { QStringLiteral("1"), QStringLiteral("resolve") }, // unchanged
        { QStringLiteral("1"), QStringLiteral("unresolve") }, { QStringLiteral("4"), QStringLiteral("ignore") } };
    for (const QStringList &change : changes) {
        const QStringList args = QStringList { QStringLiteral("issue") } + change;
        const Run sqlite = runCli(args + QStringList { QStringLiteral("--db"), m_sqlitePath });
        const Run postgres = runCli(args + QStringList { QStringLiteral("--db"), eventsUri() });
        QVERIFY2(sqlite.code == 0, qPrintable(sqlite.err));
        QCOMPARE(postgres.code, sqlite.code);
        QCOMPARE(QString::fromUtf8(postgres.out), QString::fromUtf8(sqlite.out));
    }
    for (const QString &query :
        { QStringLiteral("is:resolved"), QStringLiteral("is:ignored"), QStringLiteral("is:unresolved") }) {
        const QStringList args = { QStringLiteral("issues"), QStringLiteral("--json"), QStringLiteral("-q"), query };
        const Run sqlite = runCli(args + QStringList { QStringLiteral("--db"), m_sqlitePath });
        const Run postgres = runCli(args + QStringList { QStringLiteral("--db"), eventsUri() });
        QVERIFY2(!QJsonDocument::fromJson(postgres.out).array().isEmpty(), qPrintable(query));
        QCOMPARE(QString::fromUtf8(postgres.out), QString::fromUtf8(sqlite.out));
    }
}

QString TestCliPostgres::runOnBoth(const QStringList &args)
{
    const Run sqlite = runCli(args + QStringList { QStringLiteral("--db"), m_sqlitePath });
    const Run postgres = runCli(args + QStringList { QStringLiteral("--db"), eventsUri() });
    [&] {
        QCOMPARE(postgres.code, sqlite.code);
        QCOMPARE(postgres.err, sqlite.err);
        QCOMPARE(QString::fromUtf8(postgres.out), QString::fromUtf8(sqlite.out));
    }();
    if (QTest::currentTestFailed())
        qWarning() << "on both backends:" << args;
    return QString::fromUtf8(sqlite.out) + sqlite.err;
}

void TestCliPostgres::mergeAndUnmergeChangeBothAlike()
{
    // Issue 2 is ignored until 5 more events (statusCommandsChangeBothAlike): a
    // merge into it moves that mark by the events merged in, on both backends.
    const QString merged = runOnBoth({ QStringLiteral("issue"), QStringLiteral("merge"), QStringLiteral("1"),
        QStringLiteral("2"), QStringLiteral("--into"), QStringLiteral("2") });
    QVERIFY2(merged.startsWith(QLatin1String("merged 1 into issue 2 (1 events moved)")), qPrintable(merged));
    QVERIFY(!QTest::currentTestFailed());
    runOnBoth({ QStringLiteral("issue"), QStringLiteral("merge"), QStringLiteral("5"), QStringLiteral("6"),
        QStringLiteral("--json") });
    QVERIFY(!QTest::currentTestFailed());
    for (const QStringList &refused :
        QList<QStringList> { { QStringLiteral("merge"), QStringLiteral("3"), QStringLiteral("3") },
            { QStringLiteral("merge"), QStringLiteral("3"), QStringLiteral("1") },
            { QStringLiteral("merge"), QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("--into"),
                QStringLiteral("7") },
            { QStringLiteral("unmerge"), QStringLiteral("3"), QStringLiteral("--by"),
                QStringLiteral("0123456789") } }) {
        QVERIFY(runOnBoth(QStringList { QStringLiteral("issue") } + refused).contains(QLatin1String("refused")));
        QVERIFY(!QTest::currentTestFailed());
    }
    for (const QStringList &read : QList<QStringList> { { QStringLiteral("issues"), QStringLiteral("--json") },
             { QStringLiteral("issue"), QStringLiteral("2"), QStringLiteral("--json") },
             { QStringLiteral("issue"), QStringLiteral("2"), QStringLiteral("--grouping") } }) {
        runOnBoth(read);
        QVERIFY(!QTest::currentTestFailed());
    }

    // Split the key issue 1 brought back out of issue 2.
    const QJsonArray keys = QJsonDocument::fromJson(
        runOnBoth(
            { QStringLiteral("issue"), QStringLiteral("2"), QStringLiteral("--grouping"), QStringLiteral("--json") })
            .toUtf8())
                                .object()
                                .value(QStringLiteral("keys"))
                                .toArray();
    QCOMPARE(keys.size(), 2);
    // Oldest first: issue 1's key came first.
    QCOMPARE(keys.at(0).toObject().value(QStringLiteral("linked_by")).toString(), QStringLiteral("merge"));
    const QString split = runOnBoth({ QStringLiteral("issue"), QStringLiteral("unmerge"), QStringLiteral("2"),
        QStringLiteral("--by"), keys.at(0).toObject().value(QStringLiteral("hash")).toString().left(10) });
    QVERIFY2(split.startsWith(QLatin1String("split 1 events off issue 2 into new issue 8")), qPrintable(split));
    for (const QStringList &read :
        QList<QStringList> { { QStringLiteral("issues"), QStringLiteral("--json") },
            { QStringLiteral("issue"), QStringLiteral("2"), QStringLiteral("--json") },
            { QStringLiteral("issue"), QStringLiteral("8"), QStringLiteral("--json") },
            { QStringLiteral("issue"), QStringLiteral("8"), QStringLiteral("--grouping") },
            { QStringLiteral("events"), QStringLiteral("-q"), QStringLiteral("issue:8"), QStringLiteral("--json") } }) {
        runOnBoth(read);
        QVERIFY(!QTest::currentTestFailed());
    }
}

void TestCliPostgres::projectLimitsChangeBothAlike()
{
    const QString limits = QStringLiteral("limits");
    const QList<QStringList> commands { { limits, QStringLiteral("1") },
        { limits, QStringLiteral("1"), QStringLiteral("--rate-limit"), QStringLiteral("30"),
            QStringLiteral("--max-age-days"), QStringLiteral("7"), QStringLiteral("--keep-pii"),
            QStringLiteral("creditcard"), QStringLiteral("--json") },
        { limits, QStringLiteral("1"), QStringLiteral("--max-stored-mib"), QStringLiteral("512") },
        { limits, QStringLiteral("1"), QStringLiteral("--json") }, { limits, QStringLiteral("99") },
        { limits, QStringLiteral("1"), QStringLiteral("--max-events"), QStringLiteral("-1") } };
    for (const QStringList &command : commands) {
        const QString answer = runOnBoth(QStringList { QStringLiteral("projects") } + command);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(!answer.isEmpty());
    }
    const QString stored = runOnBoth({ QStringLiteral("projects"), limits, QStringLiteral("1") });
    QVERIFY2(stored.startsWith(QLatin1String("project 1: keep 7 days, at most 100000 events, rate limit 30 "
                                             "events/minute, attachments 100 MiB/hour, stored size at most 512 MiB, "
                                             "scrubbing all but creditcard")),
        qPrintable(stored));
}

void TestCliPostgres::groupingRulesAndRegroupChangeBothAlike()
{
    // The merges and the split of mergeAndUnmergeChangeBothAlike, listed alike but
    // for when they were made (a few milliseconds apart, so maybe another minute).
    const QStringList list { QStringLiteral("project"), QStringLiteral("rules"), QStringLiteral("default") };
    const Run sqlite = runCli(list + QStringList { QStringLiteral("--db"), m_sqlitePath });
    const Run postgres = runCli(list + QStringList { QStringLiteral("--db"), eventsUri() });
    QCOMPARE(postgres.code, 0);
    QCOMPARE(sqlite.code, 0);
    const QRegularExpression when(QStringLiteral("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"));
    QCOMPARE(QString::fromUtf8(postgres.out).replace(when, QStringLiteral("WHEN")),
        QString::fromUtf8(sqlite.out).replace(when, QStringLiteral("WHEN")));
    QVERIFY2(sqlite.out.startsWith("Grouping rules of default (3), newest first"), sqlite.out.constData());
    const QJsonArray rules = QJsonDocument::fromJson(
        runCli(list + QStringList { QStringLiteral("--json"), QStringLiteral("--db"), eventsUri() }).out)
                                 .array();
    QCOMPARE(rules.size(), 3); // newest first: the split, the merge of 5 and 6, the merge of 1 and 2
    QCOMPARE(rules.at(1).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("merge"));
    const QString mergeRule = QString::number(rules.at(1).toObject().value(QStringLiteral("id")).toInteger());

    // Removing the merge takes what is left of it back out; an unknown rule is refused.
    const QString removed = runOnBoth(list + QStringList { QStringLiteral("--remove"), mergeRule });
    QVERIFY2(removed.startsWith(QStringLiteral("removed rule %1: ").arg(mergeRule)), qPrintable(removed));
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY(runOnBoth(list + QStringList { QStringLiteral("--remove"), mergeRule }).contains(u"no grouping rule"));
    QVERIFY(!QTest::currentTestFailed());
    for (const QStringList &read : QList<QStringList> { { QStringLiteral("issues"), QStringLiteral("--json") },
             { QStringLiteral("project"), QStringLiteral("regroup"), QStringLiteral("default") },
             { QStringLiteral("project"), QStringLiteral("regroup"), QStringLiteral("1"), QStringLiteral("--json") },
             { QStringLiteral("issues"), QStringLiteral("--json") },
             { QStringLiteral("project"), QStringLiteral("regroup"), QStringLiteral("nosuch") } }) {
        const QString answer = runOnBoth(read);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(!answer.isEmpty());
    }
}

void TestCliPostgres::dbCheckLooksAtWhatFaultlineKeeps()
{
    // The events are of June 2026: this month's and next month's partitions are not made yet.
    const QStringList check { QStringLiteral("db"), QStringLiteral("check"), QStringLiteral("--db"), eventsUri() };
    const Run missing = runCli(check);
    QCOMPARE(missing.code, 1);
    const PartitionMonth now = partitionMonthOf(QDateTime::currentMSecsSinceEpoch());
    const PartitionMonth next = partitionMonthOf(now.toMs);
    QVERIFY2(missing.err.contains(QStringLiteral("partition events_%1 is missing").arg(now.suffix)),
        qPrintable(missing.err));
    QVERIFY2(missing.err.contains(QStringLiteral("partition attachments_%1 is missing").arg(next.suffix)),
        qPrintable(missing.err));

    // What a collector does at start and with each retention run: both months made ahead.
    auto connection = PgConnection::open(eventsUri());
    QVERIFY(connection);
    QVERIFY(PgPartitions().ensureMonthsAhead(*connection.value(), QDateTime::currentMSecsSinceEpoch()));
    const Run whole = runCli(check);
    QVERIFY2(whole.code == 0, qPrintable(whole.err));
    QVERIFY2(
        whole.out.contains(QStringLiteral(": ok (schema version %1, ").arg(latestPostgresSchemaVersion()).toUtf8()),
        whole.out.constData());
    QVERIFY(whole.out.contains(now.suffix.toUtf8()) && whole.out.contains(next.suffix.toUtf8()));

    // A tag whose event is gone, and an event moved out of the issue its key leads to.
    QVERIFY(connection.value()->exec(
        QStringLiteral("INSERT INTO event_tags(event_row, received_ms, key, value) VALUES (999999, $1, 'k', 'v')"),
        { PgParam::integer(now.fromMs) }));
    QVERIFY(connection.value()->exec(
        QStringLiteral("UPDATE events SET issue_id = (SELECT min(i.id) FROM issues i WHERE i.id <> events.issue_id) "
                       "WHERE id = (SELECT min(id) FROM events WHERE grouping_key_id IS NOT NULL)")));
    const Run broken = runCli(check);
    QCOMPARE(broken.code, 1);
    QVERIFY2(broken.err.contains(u"tags of events that are gone: 1"), qPrintable(broken.err));
    QVERIFY2(
        broken.err.contains(u"events in another issue than their grouping key leads to: 1"), qPrintable(broken.err));
    QVERIFY(broken.out.isEmpty());

    // An unreachable server is exit 1 too, without the password.
    const Run away = runCli({ QStringLiteral("db"), QStringLiteral("check"), QStringLiteral("--db"),
        QStringLiteral("postgresql://viewer:s3cret@127.0.0.1:1/events") });
    QCOMPARE(away.code, 1);
    QVERIFY(!away.err.contains(u"s3cret"));
}

QTEST_GUILESS_MAIN(TestCliPostgres)
#include "tst_cli_postgres.moc"
