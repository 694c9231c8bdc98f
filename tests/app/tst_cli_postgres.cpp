// `faultline` commands with `--db postgresql://…` (#18), run as the real
// binary against a throw-away server: the same commands and the same output
// as on a SQLite file.
#include "support/cli_run.h"
#include "support/postgres_cluster.h"

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

private:
    QString uri() const { return m_cluster.uri(QStringLiteral("cli")); }
    PostgresCluster m_cluster;
};

void TestCliPostgres::initTestCase()
{
    if (!QFileInfo::exists(QStringLiteral(FAULTLINE_BINARY)))
        QSKIP("the faultline binary is not built");
    if (!m_cluster.start()) {
        if (m_cluster.skipReason().isEmpty())
            QFAIL(qPrintable(m_cluster.error()));
        QSKIP(qPrintable(m_cluster.skipReason()));
    }
    QVERIFY2(m_cluster.createDatabase(QStringLiteral("cli")), qPrintable(m_cluster.error()));
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
    QVERIFY2(run.err.startsWith(QLatin1String("faultline: cannot connect to postgresql://someone:***@127.0.0.1:1/")),
        qPrintable(run.err));
    QVERIFY(!run.err.contains(QLatin1String("s3cret")));
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliPostgres)
#include "tst_cli_postgres.moc"
