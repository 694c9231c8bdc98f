// The PostgreSQL connection (#18) on a throw-away server: URIs, PG*
// variables and service files reach it, the session commits synchronously,
// errors come back as values of the right kind, and passwords never reach a
// log line.
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_uri.h"
#include "support/postgres_cluster.h"
#include "support/scoped_environment.h"

#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

class TestPgConnection : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void logNameHidesPasswords_data();
    void logNameHidesPasswords();
    void recognisesPostgresUris();
    void connectsThroughUriOverTcpAndSocket();
    void sessionSettingsHoldWhateverTheRoleSays();
    void transactionsCommitDurablyWhateverTheSessionSays();
    void environmentVariablesComplete_anEmptyString();
    void serviceFileIsHonoured();
    void unreachableServerIsAConnectionErrorWithoutPassword();
    void parametersAreBoundNotSpliced();
    void errorsComeBackWithTheirKind();
    void reconnectsAfterServerRestart();

private:
    PostgresCluster m_cluster;
};

void TestPgConnection::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("conn")), qPrintable(m_cluster.error()));
}

void TestPgConnection::logNameHidesPasswords_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("logged");
    QTest::newRow("userinfo") << "postgresql://ops:hunter2@db.internal:5432/faultline?sslmode=verify-full"
                              << "postgresql://ops:***@db.internal:5432/faultline?sslmode=verify-full";
    QTest::newRow("no password") << "postgres://ops@db.internal/faultline"
                                 << "postgres://ops@db.internal/faultline";
    QTest::newRow("port but no userinfo") << "postgresql://db.internal:5432/faultline"
                                          << "postgresql://db.internal:5432/faultline";
    QTest::newRow("empty user") << "postgresql://:s3cret@host/db"
                                << "postgresql://:***@host/db";
    QTest::newRow("query parameter") << "postgresql://host/db?user=ops&password=hunter2&sslmode=require"
                                     << "postgresql://host/db?user=ops&password=***&sslmode=require";
    QTest::newRow("sslpassword and case") << "POSTGRESQL://u:p@h/db?SSLPassword=k3y"
                                          << "POSTGRESQL://u:***@h/db?SSLPassword=***";
    QTest::newRow("percent-encoded @ in password") << "postgresql://ops:p%40ss@host/db"
                                                   << "postgresql://ops:***@host/db";
    QTest::newRow("multi-host") << "postgresql://ops:pw@h1:5432,h2:5433/db"
                                << "postgresql://ops:***@h1:5432,h2:5433/db";
    QTest::newRow("key=value") << "host=db user=ops password=hunter2 dbname=faultline"
                               << "host=db user=ops password=*** dbname=faultline";
    QTest::newRow("key = 'quoted value'") << "host=db password = 'a b\\' c' dbname=x"
                                          << "host=db password = *** dbname=x";
    QTest::newRow("service only") << "service=faultline"
                                  << "service=faultline";
    QTest::newRow("empty: PG* variables") << ""
                                          << "";
}

void TestPgConnection::logNameHidesPasswords()
{
    QFETCH(QString, given);
    QFETCH(QString, logged);
    QCOMPARE(connectionStringForLog(given), logged);
}

void TestPgConnection::recognisesPostgresUris()
{
    QVERIFY(isPostgresUri(QStringLiteral("postgresql://host/db")));
    QVERIFY(isPostgresUri(QStringLiteral("postgres://host/db")));
    QVERIFY(isPostgresUri(QStringLiteral("PostgreSQL:///db")));
    QVERIFY(!isPostgresUri(QStringLiteral("/home/me/.local/share/faultline/faultline.db")));
    QVERIFY(!isPostgresUri(QStringLiteral("postgresql.db")));
    QVERIFY(!isPostgresUri(QStringLiteral("file:postgres://x")));
}

void TestPgConnection::connectsThroughUriOverTcpAndSocket()
{
    for (const QString &uri : { m_cluster.uri(QStringLiteral("conn")), m_cluster.socketUri(QStringLiteral("conn")) }) {
        auto connection = PgConnection::open(uri);
        QVERIFY2(connection, qPrintable(connection.error().message));
        auto rows = connection.value()->exec(QStringLiteral("SELECT current_database(), current_user"));
        QVERIFY2(rows, qPrintable(rows.error().message));
        QCOMPARE(rows->text(0, 0), QStringLiteral("conn"));
        QCOMPARE(rows->text(0, 1), QStringLiteral("faultline"));
        QVERIFY(connection.value()->serverVersion() >= 120000);
    }
}

void TestPgConnection::sessionSettingsHoldWhateverTheRoleSays()
{
    auto admin = PgConnection::open(m_cluster.uri(QStringLiteral("conn")));
    QVERIFY2(admin, qPrintable(admin.error().message));
    QVERIFY(admin.value()->execScript("ALTER ROLE faultline SET synchronous_commit = off"));
    auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("conn")));
    QVERIFY(admin.value()->execScript("ALTER ROLE faultline RESET synchronous_commit"));
    QVERIFY2(connection, qPrintable(connection.error().message));
    auto rows = connection.value()->exec(QStringLiteral("SHOW synchronous_commit"));
    QVERIFY(rows);
    QCOMPARE(rows->text(0, 0), QStringLiteral("on"));
    rows = connection.value()->exec(QStringLiteral("SHOW jit"));
    QCOMPARE(rows->text(0, 0), QStringLiteral("off"));
    rows = connection.value()->exec(QStringLiteral("SHOW work_mem"));
    QCOMPARE(rows->text(0, 0), QStringLiteral("64MB"));
    rows = connection.value()->exec(QStringLiteral("SELECT current_setting('application_name')"));
    QCOMPARE(rows->text(0, 0), QStringLiteral("faultline"));
}

void TestPgConnection::transactionsCommitDurablyWhateverTheSessionSays()
{
    // Behind a pooler in transaction mode (PgBouncer), a transaction runs on whichever server
    // session is free, with that session's settings, not the ones this connection made at open.
    auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("conn")));
    QVERIFY2(connection, qPrintable(connection.error().message));
    QVERIFY(connection.value()->execScript("SET synchronous_commit = off")); // the session it lands on
    QVERIFY(connection.value()->begin());
    auto rows = connection.value()->exec(QStringLiteral("SHOW synchronous_commit"));
    QVERIFY(rows);
    QCOMPARE(rows->text(0, 0), QStringLiteral("on"));
    QVERIFY(connection.value()->commit());
}

void TestPgConnection::environmentVariablesComplete_anEmptyString()
{
    ScopedEnvironment environment;
    environment.set("PGHOST", m_cluster.socketDirectory().toUtf8());
    environment.set("PGPORT", QByteArray::number(m_cluster.port()));
    environment.set("PGUSER", "faultline");
    environment.set("PGDATABASE", "conn");
    for (const QString &given : { QString(), QStringLiteral("postgresql://") }) {
        auto connection = PgConnection::open(given);
        QVERIFY2(connection, qPrintable(connection.error().message));
        QCOMPARE(
            connection.value()->exec(QStringLiteral("SELECT current_database()"))->text(0, 0), QStringLiteral("conn"));
    }
}

void TestPgConnection::serviceFileIsHonoured()
{
    QTemporaryDir dir;
    QFile services(dir.filePath(QStringLiteral("pg_service.conf")));
    QVERIFY(services.open(QIODevice::WriteOnly));
    services.write(QStringLiteral("[faultline-test]\nhost=127.0.0.1\nport=%1\nuser=faultline\ndbname=conn\n")
                       .arg(m_cluster.port())
                       .toUtf8());
    services.close();
    ScopedEnvironment environment;
    environment.set("PGSERVICEFILE", QFile::encodeName(services.fileName()));
    for (const QString &given :
        { QStringLiteral("service=faultline-test"), QStringLiteral("postgresql://?service=faultline-test") }) {
        auto connection = PgConnection::open(given);
        QVERIFY2(connection, qPrintable(connection.error().message));
        QCOMPARE(
            connection.value()->exec(QStringLiteral("SELECT current_database()"))->text(0, 0), QStringLiteral("conn"));
    }
}

void TestPgConnection::unreachableServerIsAConnectionErrorWithoutPassword()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe; // a port nobody listens on once the probe is gone
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    auto connection
        = PgConnection::open(QStringLiteral("postgresql://ops:hunter2@127.0.0.1:%1/faultline").arg(closedPort));
    QVERIFY(!connection);
    QCOMPARE(connection.error().kind, PgError::Kind::Connection);
    QVERIFY2(!connection.error().message.contains(QLatin1String("hunter2")), qPrintable(connection.error().message));
    QVERIFY2(connection.error().message.contains(QStringLiteral("postgresql://ops:***@127.0.0.1:%1").arg(closedPort)),
        qPrintable(connection.error().message));
}

void TestPgConnection::parametersAreBoundNotSpliced()
{
    auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("conn")));
    QVERIFY2(connection, qPrintable(connection.error().message));
    PgConnection &db = *connection.value();
    QVERIFY(db.execScript("CREATE TABLE bound(name text, data bytea, n bigint)"));
    const QString hostile = QStringLiteral("'); DROP TABLE bound; -- ünïcødé");
    const QByteArray binary("\x00\x01'\\\xff", 5);
    auto inserted = db.exec(QStringLiteral("INSERT INTO bound VALUES ($1, $2, $3)"),
        { PgParam::text(hostile), PgParam::bytea(binary), PgParam::integer(-9007199254740993) });
    QVERIFY2(inserted, qPrintable(inserted.error().message));
    QCOMPARE(inserted->affectedRows(), 1);
    QVERIFY(db.prepare("read_bound", QStringLiteral("SELECT name, encode(data, 'hex'), n FROM bound WHERE name = $1")));
    auto rows = db.execPrepared("read_bound", { PgParam::text(hostile) });
    QVERIFY2(rows, qPrintable(rows.error().message));
    QCOMPARE(rows->rowCount(), 1);
    QCOMPARE(rows->text(0, 0), hostile);
    QCOMPARE(QByteArray::fromHex(rows->bytes(0, 1)), binary);
    QCOMPARE(rows->int64(0, 2), -9007199254740993);
}

void TestPgConnection::errorsComeBackWithTheirKind()
{
    auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("conn")));
    QVERIFY2(connection, qPrintable(connection.error().message));
    PgConnection &db = *connection.value();
    QVERIFY(db.execScript("CREATE TABLE unique_names(name text PRIMARY KEY)"));
    QVERIFY(db.exec(QStringLiteral("INSERT INTO unique_names VALUES ($1)"), { PgParam::text(QStringLiteral("a")) }));
    auto duplicate
        = db.exec(QStringLiteral("INSERT INTO unique_names VALUES ($1)"), { PgParam::text(QStringLiteral("a")) });
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().kind, PgError::Kind::Constraint);
    QCOMPARE(duplicate.error().sqlState, QStringLiteral("23505"));
    auto typo = db.exec(QStringLiteral("SELEC 1"));
    QVERIFY(!typo);
    QCOMPARE(typo.error().kind, PgError::Kind::Query);
    QCOMPARE(typo.error().sqlState, QStringLiteral("42601"));
    QVERIFY(db.isConnected()); // a refused statement does not cost the connection
    QCOMPARE(pgErrorKind(QStringLiteral("40P01")), PgError::Kind::Conflict);
    QCOMPARE(pgErrorKind(QStringLiteral("40001")), PgError::Kind::Conflict);
    QCOMPARE(pgErrorKind(QStringLiteral("57P01")), PgError::Kind::Connection);
}

void TestPgConnection::reconnectsAfterServerRestart()
{
    auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("conn")));
    QVERIFY2(connection, qPrintable(connection.error().message));
    PgConnection &db = *connection.value();
    const int pidBefore = db.backendPid();
    QVERIFY2(m_cluster.restart(), qPrintable(m_cluster.error()));
    auto lost = db.exec(QStringLiteral("SELECT 1"));
    QVERIFY(!lost);
    QCOMPARE(lost.error().kind, PgError::Kind::Connection);
    QVERIFY2(db.reconnect(), "reconnect failed");
    QVERIFY(db.backendPid() != pidBefore);
    QCOMPARE(db.exec(QStringLiteral("SHOW synchronous_commit"))->text(0, 0), QStringLiteral("on"));
}

QTEST_MAIN(TestPgConnection)
#include "tst_pg_connection.moc"
