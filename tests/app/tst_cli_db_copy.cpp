// `faultline db copy` as a user runs it (#18), the real binary against a
// throw-away PostgreSQL server: it copies, prints the counts of both sides
// and exits 0 when they match; progress goes to stderr; the password of the
// URI is never printed; a copy killed with SIGKILL mid-way resumes on the
// next run and ends with every event exactly once.
#include "storage/pg_copy_source.h"

#include "storage/postgres/pg_connection.h"
#include "support/cli_run.h"
#include "support/postgres_cluster.h"

#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr int kMoreEvents = 600; // enough one-event chunks that a kill lands in the middle

QString withPassword(QString uri)
{
    return uri.replace(QLatin1String("postgresql://faultline@"), QLatin1String("postgresql://faultline:s3cr3t-pw@"));
}

} // namespace

class TestCliDbCopy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void copiesAndPrintsMatchingCounts();
    void aKilledCopyResumes();
    void refusesWhatItCannotCopyInto();

private:
    qint64 count(const QString &database, const QString &sql);

    PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_source;
    qint64 m_events = 0;
};

void TestCliDbCopy::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(), qPrintable(m_cluster.error()));
    m_source = m_dir.filePath(QStringLiteral("solo.db"));
    QVERIFY(buildCopySource(m_source, kMoreEvents));
    auto db = openOrFail(m_source, Database::Mode::ReadOnly);
    QVERIFY(db);
    m_events = scalar(*db, QStringLiteral("SELECT count(*) FROM events"));
}

qint64 TestCliDbCopy::count(const QString &database, const QString &sql)
{
    auto connection = PgConnection::open(m_cluster.uri(database));
    if (!connection)
        return -1;
    auto rows = connection.value()->exec(sql);
    return rows && rows->rowCount() > 0 ? rows->int64(0, 0) : -1;
}

void TestCliDbCopy::copiesAndPrintsMatchingCounts()
{
    QVERIFY(m_cluster.createDatabase(QStringLiteral("plain")));
    const QString to = withPassword(m_cluster.uri(QStringLiteral("plain")));
    const Run run = runCli({ QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"), m_source,
        QStringLiteral("--to"), to });
    QVERIFY2(run.code == 0, qPrintable(run.err));
    const QString out = QString::fromUtf8(run.out);
    QVERIFY2(out.contains(QLatin1String("every count matches")), qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("\\nevents +%1 +%1\\n").arg(m_events))), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("copied %1 events").arg(m_events)), qPrintable(out));
    // Not a terminal here: plain progress lines, the last one at 100%.
    QVERIFY2(run.err.contains(QLatin1String("faultline: db copy: 100% events")), qPrintable(run.err));
    QVERIFY(!out.contains(QLatin1String("s3cr3t")));
    QVERIFY(!run.err.contains(QLatin1String("s3cr3t")));
    QVERIFY2(out.contains(QLatin1String("faultline:***@")), qPrintable(out));
    QCOMPARE(count(QStringLiteral("plain"), QStringLiteral("SELECT count(*) FROM events")), m_events);
}

void TestCliDbCopy::aKilledCopyResumes()
{
    const QString database = QStringLiteral("killed");
    QVERIFY(m_cluster.createDatabase(database));
    const QStringList args { QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"), m_source,
        QStringLiteral("--to"), m_cluster.uri(database), QStringLiteral("--chunk-events"), QStringLiteral("1") };
    QProcess copy;
    copy.start(QStringLiteral(FAULTLINE_BINARY), args);
    QVERIFY(copy.waitForStarted());
    // Killed once some chunks are committed, wherever it is then.
    QTRY_VERIFY_WITH_TIMEOUT(count(database, QStringLiteral("SELECT count(*) FROM events")) >= 20, 30000);
    copy.kill();
    QVERIFY(copy.waitForFinished());
    QCOMPARE(copy.exitStatus(), QProcess::CrashExit);
    const qint64 before = count(database, QStringLiteral("SELECT count(*) FROM events"));
    QVERIFY2(before < m_events, "the copy finished before it was killed: nothing to resume");

    const Run resumed = runCli(args);
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    const QString out = QString::fromUtf8(resumed.out);
    QVERIFY2(
        out.startsWith(QStringLiteral("resumed the copy: copied %1 events").arg(m_events - before)), qPrintable(out));
    QCOMPARE(count(database, QStringLiteral("SELECT count(*) FROM events")), m_events);
    QCOMPARE(count(database, QStringLiteral("SELECT count(DISTINCT (project_id, event_id)) FROM events")), m_events);
    QCOMPARE(count(database, QStringLiteral("SELECT count(*) FROM event_ids")), m_events);
}

void TestCliDbCopy::refusesWhatItCannotCopyInto()
{
    const Run notPostgres = runCli({ QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"), m_source,
        QStringLiteral("--to"), m_dir.filePath(QStringLiteral("other.db")) });
    QCOMPARE(notPostgres.code, 2);
    QVERIFY2(notPostgres.err.contains(QLatin1String("expects a PostgreSQL URI")), qPrintable(notPostgres.err));

    // A copy of one database, then another database into the same target.
    QVERIFY(m_cluster.createDatabase(QStringLiteral("team")));
    const Run first = runCli({ QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"),
        m_dir.filePath(QStringLiteral("fresh.db")), QStringLiteral("--to"), m_cluster.uri(QStringLiteral("team")) });
    QCOMPARE(first.code, 1); // no database at that path
    QVERIFY(openOrFail(m_dir.filePath(QStringLiteral("fresh.db"))));
    const Run fresh = runCli({ QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"),
        m_dir.filePath(QStringLiteral("fresh.db")), QStringLiteral("--to"), m_cluster.uri(QStringLiteral("team")) });
    QVERIFY2(fresh.code == 0, qPrintable(fresh.err));
    const Run other = runCli({ QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"), m_source,
        QStringLiteral("--to"), m_cluster.uri(QStringLiteral("team")) });
    QCOMPARE(other.code, 1);
    QVERIFY2(other.err.contains(QLatin1String("holds a copy of another database")), qPrintable(other.err));
}

QTEST_GUILESS_MAIN(TestCliDbCopy)
#include "tst_cli_db_copy.moc"
