// Host names looked up without blocking (#18), so that stopping what connects
// never waits for a resolver: which hosts of a connection string Faultline
// looks up itself and which it leaves to libpq (pg_host_plan.h), connections
// made through the addresses it found (on a throw-away server), and, behind a
// resolver that never answers (support/silent_resolver.h), a stop that returns
// while the look-up is still unanswered: the change listener's, and that of
// every other owner of a connection a stop must not wait for (the event
// writer reconnecting, the storage gateway's thread, the refusal log,
// retention).
#include "storage/connection_thread.h"
#include "storage/drop_log.h"
#include "storage/event_writer.h"
#include "storage/postgres/pg_change_listener.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_host_lookup.h"
#include "storage/postgres/pg_host_plan.h"
#include "storage/retention_scheduler.h"
#include "storage/stop_pipe.h"
#include "support/postgres_cluster.h"
#include "support/scoped_environment.h"
#include "support/silent_resolver.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <memory>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr int kSignalWithinMs = 10000; // generous for a loaded CI machine
const QString &kName = kSilentlyResolvedName;

// A plan written out for comparison: "host|port" per entry, ';' between; "libpq" when left to libpq.
QString describe(const std::optional<PgHostPlan> &plan)
{
    if (!plan)
        return QStringLiteral("libpq");
    QStringList entries;
    for (const PgHostEntry &entry : plan->entries)
        entries.append(QString::fromUtf8(entry.host + '|' + entry.port));
    return entries.join(u';');
}

} // namespace

class TestPgHostLookup : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void plan_data();
    void plan();
    void portsFollowTheirHost();
    void eachAddressBecomesAnEntry();
    void looksUpWhatTheHostsFileKnows();
    void connectsThroughAName();
    void listensThroughAName();
    void stopDoesNotWaitForASilentResolver();

private:
    PostgresCluster m_cluster;
};

void TestPgHostLookup::initTestCase()
{
    qRegisterMetaType<QStringList>();
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("names")), qPrintable(m_cluster.error()));
    QVERIFY2(m_cluster.createDatabase(QStringLiteral("writer")), qPrintable(m_cluster.error()));
}

void TestPgHostLookup::plan_data()
{
    QTest::addColumn<QString>("conninfo");
    QTest::addColumn<QByteArrayList>("environment"); // NAME=value
    QTest::addColumn<QString>("planned");
    const QByteArrayList none;
    QTest::newRow("URI") << "postgresql://ops:pw@db.example:5433/faultline?sslmode=verify-full" << none
                         << "db.example|";
    QTest::newRow("URI, hosts with a port each")
        << "postgresql://ops@h1:5432,h2:5433/faultline" << none << "h1|5432;h2|5433";
    QTest::newRow("key=value, one port for all") << "host=h1,h2 port=5432 dbname=x" << none << "h1|;h2|";
    QTest::newRow("numeric address") << "postgresql://ops@192.0.2.7/faultline" << none << "192.0.2.7|";
    QTest::newRow("IPv6 address") << "postgresql://ops@[2001:db8::7]:5432/faultline" << none << "2001:db8::7|";
    QTest::newRow("a socket directory beside a name")
        << "host=/var/run/postgresql,db.example dbname=x" << none << "/var/run/postgresql|;db.example|";
    QTest::newRow("PGHOST completes an empty string") << "" << QByteArrayList { "PGHOST=db.example" } << "db.example|";
    QTest::newRow("PGHOST and PGPORT, one each")
        << "postgresql:///faultline" << QByteArrayList { "PGHOST=h1,h2", "PGPORT=1,2" } << "h1|1;h2|2";
    QTest::newRow("the string's host wins over PGHOST")
        << "postgresql://db.example/x" << QByteArrayList { "PGHOST=other.example" } << "db.example|";
    // Left to libpq: what we cannot read as it does, or where it looks nothing up.
    QTest::newRow("no host: the local socket") << "postgresql:///faultline" << none << "libpq";
    QTest::newRow("socket directories only") << "postgresql://%2Fvar%2Frun%2Fpostgresql/x" << none << "libpq";
    QTest::newRow("abstract socket") << "host=@faultline dbname=x" << none << "libpq";
    QTest::newRow("hostaddr given") << "host=db.example hostaddr=192.0.2.7 dbname=x" << none << "libpq";
    QTest::newRow("PGHOSTADDR") << "host=db.example" << QByteArrayList { "PGHOSTADDR=192.0.2.7" } << "libpq";
    QTest::newRow("a service") << "postgresql://db.example/x?service=team" << none << "libpq";
    QTest::newRow("PGSERVICE") << "host=db.example" << QByteArrayList { "PGSERVICE=team" } << "libpq";
    QTest::newRow("ports that match no host") << "host=h1,h2 port=1,2,3" << none << "libpq";
    QTest::newRow("not a connection string") << "faultline" << none << "libpq";
}

void TestPgHostLookup::plan()
{
    QFETCH(QString, conninfo);
    QFETCH(QByteArrayList, environment);
    QFETCH(QString, planned);
    ScopedEnvironment scoped;
    for (const char *name : { "PGHOST", "PGHOSTADDR", "PGPORT", "PGSERVICE" })
        scoped.unset(name);
    for (const QByteArray &variable : environment) {
        const QByteArray name = variable.left(variable.indexOf('='));
        scoped.set(name.constData(), variable.mid(name.size() + 1));
    }
    QCOMPARE(describe(hostsToLookUp(conninfo.toUtf8())), planned);
}

void TestPgHostLookup::portsFollowTheirHost()
{
    // One port per host: a name's addresses each take its port.
    const std::optional<PgHostPlan> plan = hostsToLookUp("host=a.example,/tmp,b.example port=1,2,3");
    QVERIFY(plan);
    QCOMPARE(plan->names(), (QList<QByteArray> { "a.example", "b.example" }));
    const PgHostAddresses hosts = withAddresses(*plan,
        { { "a.example", { { QStringLiteral("192.0.2.1"), QStringLiteral("2001:db8::1") }, {} } },
            { "b.example", { { QStringLiteral("192.0.2.2") }, {} } } });
    QCOMPARE(hosts.host, QByteArray("a.example,a.example,/tmp,b.example"));
    QCOMPARE(hosts.hostaddr, QByteArray("192.0.2.1,2001:db8::1,,192.0.2.2"));
    QCOMPARE(hosts.port, QByteArray("1,1,2,3"));
    QVERIFY(hosts.unresolved.isEmpty());
}

void TestPgHostLookup::eachAddressBecomesAnEntry()
{
    // One port for all stays the string's; a name without addresses is left out and said.
    const std::optional<PgHostPlan> plan = hostsToLookUp("host=gone.example,db.example port=5433 dbname=x");
    QVERIFY(plan);
    const PgHostAddresses hosts = withAddresses(*plan,
        { { "gone.example", { {}, QStringLiteral("Name or service not known") } },
            { "db.example", { { QStringLiteral("192.0.2.7"), QStringLiteral("192.0.2.8") }, {} } } });
    QCOMPARE(hosts.host, QByteArray("db.example,db.example"));
    QCOMPARE(hosts.hostaddr, QByteArray("192.0.2.7,192.0.2.8"));
    QVERIFY(hosts.port.isEmpty());
    QCOMPARE(hosts.unresolved,
        QStringList {
            QStringLiteral("could not translate host name \"gone.example\" to address: Name or service not known") });

    const PgHostAddresses nothing = withAddresses(*plan, {});
    QVERIFY(nothing.host.isEmpty()); // no host left: openStoppable says why instead of connecting
    QCOMPARE(nothing.unresolved.size(), 2);
}

void TestPgHostLookup::looksUpWhatTheHostsFileKnows()
{
    // Through glibc's asynchronous look-up, without a name server: the hosts file and numeric addresses.
    PgHostLookup lookup({ "localhost", "192.0.2.7" });
    StopPipe neverStopped;
    QVERIFY(neverStopped.ok());
    QCOMPARE(lookup.wait(neverStopped.readEnd()), PgHostLookup::Wait::Done);
    QVERIFY2(lookup.addresses(0).contains(QStringLiteral("127.0.0.1")), qPrintable(lookup.addresses(0).join(u',')));
    QCOMPARE(lookup.error(0), QString());
    QCOMPARE(lookup.addresses(1), QStringList { QStringLiteral("192.0.2.7") });
    QCOMPARE(lookup.abandon(), 0); // nothing left running
}

void TestPgHostLookup::connectsThroughAName()
{
    // "localhost" is looked up here and handed to libpq as hostaddr (::1 too, where
    // the hosts file says so; the server listens on 127.0.0.1 only, and libpq goes on
    // to the next address as it does with one it found). A socket directory that does
    // not exist comes first and is tried as it is.
    StopPipe neverStopped;
    QVERIFY(neverStopped.ok());
    const QString conninfo
        = QStringLiteral("host=/nonexistent/faultline-test,localhost port=%1 user=faultline dbname=names")
              .arg(m_cluster.port());
    auto connection = PgConnection::openStoppable(conninfo, neverStopped.readEnd());
    QVERIFY2(connection, qPrintable(connection.error().message));
    auto rows = connection.value()->exec(QStringLiteral("SELECT host(inet_server_addr()), current_database()"));
    QVERIFY2(rows, qPrintable(rows.error().message));
    QCOMPARE(rows->text(0, 0), QStringLiteral("127.0.0.1")); // over TCP, not the socket
    QCOMPARE(rows->text(0, 1), QStringLiteral("names"));
}

void TestPgHostLookup::listensThroughAName()
{
    PgChangeListener listener(QStringLiteral("postgresql://faultline@localhost:%1/names").arg(m_cluster.port()));
    QSignalSpy listening(&listener, &PgChangeListener::listening);
    QSignalSpy lost(&listener, &PgChangeListener::connectionLost);
    listener.start();
    QVERIFY2(listening.wait(kSignalWithinMs), lost.isEmpty() ? "" : qPrintable(lost.at(0).at(0).toString()));
}

void TestPgHostLookup::stopDoesNotWaitForASilentResolver()
{
    const IsolatedRun run = runBehindASilentResolver(
        kBehindASilentResolver, withCluster(QProcessEnvironment::systemEnvironment(), m_cluster), 120000);
    FAULTLINE_VERIFY_ISOLATED_RUN(run);
}

// In the child, behind a name server on 127.0.0.1:53 that reads queries and
// never answers. A look-up that gave up would have asked 5 times for A and
// AAAA each: fewer queries mean a stop returned while it was still waiting.
class TestBehindASilentResolver : public BehindASilentResolver {
    Q_OBJECT

public:
    using BehindASilentResolver::BehindASilentResolver;

private slots:
    void init();
    void cleanup();
    void stopReturnsWhileTheQueryIsUnanswered();
    void anAbandonedLookUpIsLeftToGlibc();
    void aNameServerThatIsNotThereIsReported();
    void theWriterStopsWhileReconnecting();
    void theGatewayThreadStopsWhileOpening();
    void theRefusalLogStopsWhileConnecting();
    void retentionStopsWhileConnecting();

private:
    // 1 to 9 queries arrived: asked, and given up on before the look-up gave up.
    bool stoppedWhileUnanswered(int *queries);
};

void TestBehindASilentResolver::init() { QVERIFY2(m_resolver.listen(), std::strerror(errno)); }

void TestBehindASilentResolver::cleanup()
{
    // Look-ups abandoned above retry on a closed port now: refused, they finish and free themselves.
    m_resolver.close();
    QVERIFY(m_resolver.setHosts("127.0.0.1 localhost\n"));
}

bool TestBehindASilentResolver::stoppedWhileUnanswered(int *queries)
{
    *queries = m_resolver.queriesReceived();
    return *queries >= 1 && *queries < 10;
}

void TestBehindASilentResolver::stopReturnsWhileTheQueryIsUnanswered()
{
    PgChangeListener listener(QStringLiteral("postgresql://faultline@%1:5432/live").arg(kName));
    QSignalSpy lost(&listener, &PgChangeListener::connectionLost);
    listener.start();
    if (!m_resolver.waitForQuery(kSignalWithinMs)) {
        QCoreApplication::processEvents();
        QSKIP(qPrintable(QStringLiteral("this system's resolver did not ask resolv.conf's name server (%1)")
                             .arg(lost.isEmpty() ? QStringLiteral("no answer") : lost.at(0).at(0).toString())));
    }
    listener.stop(); // the listener's thread waits for the look-up; stop() joins it
    int queries = 0;
    QVERIFY2(stoppedWhileUnanswered(&queries), qPrintable(QString::number(queries)));
    QCoreApplication::processEvents();
    QVERIFY(lost.isEmpty()); // nothing said after stop(), and the look-up never failed
}

void TestBehindASilentResolver::anAbandonedLookUpIsLeftToGlibc()
{
    PgHostLookup lookup({ kName.toUtf8() });
    StopPipe stop;
    QVERIFY(stop.ok());
    QVERIFY(m_resolver.waitForQuery(kSignalWithinMs));
    stop.stop();
    QCOMPARE(lookup.wait(stop.readEnd()), PgHostLookup::Wait::Stopped);
    QCOMPARE(lookup.abandon(), 1); // glibc is running it: it finishes on its own and frees what it used
    QVERIFY(lookup.addresses(0).isEmpty()); // never read while glibc may still write it
    QVERIFY(m_resolver.queriesReceived() < 10);
}

void TestBehindASilentResolver::aNameServerThatIsNotThereIsReported()
{
    m_resolver.close(); // refused at once: the look-up fails without waiting
    PgChangeListener listener(QStringLiteral("postgresql://faultline:s3cret@%1:5432/live").arg(kName));
    QSignalSpy lost(&listener, &PgChangeListener::connectionLost);
    listener.start();
    QVERIFY(lost.wait(kSignalWithinMs));
    const QString reason = lost.at(0).at(0).toString();
    QVERIFY2(reason.contains(QStringLiteral("could not translate host name \"%1\" to address").arg(kName)),
        qPrintable(reason));
    QVERIFY2(!reason.contains(QLatin1String("s3cret")), qPrintable(reason));
}

void TestBehindASilentResolver::theWriterStopsWhileReconnecting()
{
    // The writer's hosts: the name, which the hosts file knows for now, then the parent's cluster.
    const QString uri = clusterBehindName(kName, QStringLiteral("writer"));
    QVERIFY2(!uri.isEmpty(), "the parent names no cluster");
    QVERIFY(m_resolver.setHosts("127.0.0.1 localhost\n127.0.0.1 " + kName.toUtf8() + "\n"));
    // One lane: with two, the storage is Unavailable only once both have found the server gone.
    WriterOptions oneLane;
    oneLane.postgresLanes = 1;
    EventWriter writer(uri, oneLane);
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));

    // Its session ends (as in a server restart) and the name is gone from the hosts file: the
    // next batch fails, and reconnecting asks the name server.
    QVERIFY(m_resolver.setHosts("127.0.0.1 localhost\n"));
    auto admin = PgConnection::open(parentCluster(QStringLiteral("writer")));
    QVERIFY2(admin, qPrintable(admin.error().message));
    const auto ended = admin.value()->exec(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM "
                                                          "pg_stat_activity WHERE datname = 'writer' AND pid <> "
                                                          "pg_backend_pid()"));
    QVERIFY2(ended, qPrintable(ended.error().message));
    QCOMPARE(ended->int64(0, 0), qint64(1));
    writer.recordDiscarded(1, QStringLiteral("ratelimit_backoff"), QStringLiteral("error"), 1);
    QVERIFY(m_resolver.waitForQuery(kSignalWithinMs));

    writer.stop(); // joins the writer's thread, which is reconnecting
    int queries = 0;
    QVERIFY2(stoppedWhileUnanswered(&queries), qPrintable(QString::number(queries)));
    QCOMPARE(writer.storageState(), StorageState::Unavailable);
}

void TestBehindASilentResolver::theGatewayThreadStopsWhileOpening()
{
    ConnectionThread thread(
        QStringLiteral("postgresql://faultline@%1/live").arg(kName), BackendUse::Read, QStringLiteral("gateway"));
    StorageError seen;
    int ran = 0;
    QVERIFY(thread.post([&](StorageBackend *backend, const StorageError &openError) {
        ++ran;
        seen = backend ? StorageError {} : openError;
    }));
    QVERIFY(m_resolver.waitForQuery(kSignalWithinMs));
    thread.stop(); // the queued task runs, with the open's failure: joined after that
    int queries = 0;
    QVERIFY2(stoppedWhileUnanswered(&queries), qPrintable(QString::number(queries)));
    QCOMPARE(ran, 1);
    QVERIFY2(seen.detail.contains(QLatin1String("stopped")), qPrintable(seen.detail));
}

void TestBehindASilentResolver::theRefusalLogStopsWhileConnecting()
{
    auto log = std::make_unique<DropLog>(
        QStringLiteral("postgresql://faultline@%1/live").arg(kName), std::chrono::milliseconds(10));
    log->record(DropRecord { 0, QStringLiteral("unparseable"), 1, std::nullopt });
    QVERIFY(m_resolver.waitForQuery(kSignalWithinMs)); // its thread writes after 10 ms, connecting first
    log.reset(); // stops and joins that thread; what it held is logged as not recorded
    int queries = 0;
    QVERIFY2(stoppedWhileUnanswered(&queries), qPrintable(QString::number(queries)));
}

void TestBehindASilentResolver::retentionStopsWhileConnecting()
{
    RetentionScheduler retention(QStringLiteral("postgresql://faultline@%1/live").arg(kName));
    QVERIFY(retention.runNow());
    QVERIFY(m_resolver.waitForQuery(kSignalWithinMs));
    retention.stop(); // cancels the run and waits for it
    int queries = 0;
    QVERIFY2(stoppedWhileUnanswered(&queries), qPrintable(QString::number(queries)));
    QVERIFY(!retention.isRunning());
}

int main(int argc, char **argv)
{
    return execParentOrChild<TestPgHostLookup, TestBehindASilentResolver>(argc, argv, kBehindASilentResolver);
}

#include "tst_pg_host_lookup.moc"
