// Host names looked up without blocking (#18), so that stopping the change
// listener never waits for a resolver: which hosts of a connection string
// Faultline looks up itself and which it leaves to libpq (pg_host_plan.h),
// connections made through the addresses it found (on a throw-away server),
// and, behind a resolver that never answers, a stop that returns while the
// look-up is still unanswered.
//
// That last part needs a name server the test owns: glibc reads it from
// /etc/resolv.conf only, on port 53. So this executable runs itself again in
// namespaces of its own (`unshare --user --map-root-user --mount --net`): a
// network with only a loopback, where the child binds 127.0.0.1:53 and never
// answers, and a private /etc/resolv.conf naming it (timeout 30 s × 5
// attempts: a look-up that gave up would have sent 10 queries). A machine
// that allows no user namespaces skips it, saying so.
#include "storage/postgres/pg_change_listener.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_host_lookup.h"
#include "storage/postgres/pg_host_plan.h"
#include "storage/postgres/pg_socket_wait.h"
#include "support/postgres_cluster.h"
#include "support/scoped_environment.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr int kSignalWithinMs = 10000; // generous for a loaded CI machine
constexpr const char *kBehindASilentResolver = "--behind-a-silent-resolver";
constexpr int kCannotIsolate = 77; // the child could not set up its resolver: a skip, not a failure
// A name no hosts file knows: its look-up goes to the name server.
const QString kName = QStringLiteral("faultline-db.example");

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

// A pipe whose read end a stoppable call watches; stop() writes to it.
class StopPipe {
public:
    StopPipe() { m_ok = makeWakePipe(m_ends); }
    ~StopPipe()
    {
        for (int end : m_ends) {
            if (end >= 0)
                ::close(end);
        }
    }
    StopPipe(const StopPipe &) = delete;
    StopPipe &operator=(const StopPipe &) = delete;
    bool ok() const { return m_ok; }
    int readEnd() const { return m_ends[0]; }
    void stop()
    {
        const char byte = 1;
        [[maybe_unused]] const auto written = ::write(m_ends[1], &byte, 1);
    }

private:
    int m_ends[2] = { -1, -1 };
    bool m_ok = false;
};

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
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "RES_OPTIONS", "LOCALDOMAIN", "HOSTALIASES" }) // they would override resolv.conf
        environment.remove(QString::fromLatin1(name));
    child.setProcessEnvironment(environment);
    child.start(QStringLiteral("unshare"),
        { QStringLiteral("--user"), QStringLiteral("--map-root-user"), QStringLiteral("--mount"),
            QStringLiteral("--net"), QCoreApplication::applicationFilePath(),
            QString::fromLatin1(kBehindASilentResolver) });
    QVERIFY2(child.waitForFinished(120000), "the child behind a silent resolver did not finish");
    const QString out = QString::fromLocal8Bit(child.readAllStandardOutput());
    const QString err = QString::fromLocal8Bit(child.readAllStandardError());
    if (child.exitCode() == kCannotIsolate || err.startsWith(QLatin1String("unshare:")))
        QSKIP(qPrintable(QStringLiteral("cannot run a resolver of our own here: %1").arg(err.trimmed())));
    if (child.exitCode() != 0 || child.exitStatus() != QProcess::NormalExit)
        qWarning().noquote() << out << err;
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);
    if (out.contains(QLatin1String("SKIP")))
        QSKIP(qPrintable(out));
    QVERIFY2(out.contains(QLatin1String(", 0 failed, 0 skipped")), qPrintable(out));
}

// In the child: a loopback of its own, a name server on 127.0.0.1:53 that
// reads queries and never answers, and /etc/resolv.conf naming it.
class TestBehindASilentResolver : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void stopReturnsWhileTheQueryIsUnanswered();
    void anAbandonedLookUpIsLeftToGlibc();
    void aNameServerThatIsNotThereIsReported();

private:
    int queriesReceived(); // reads what arrived since the last call
    bool waitForQuery();

    int m_nameServer = -1;
};

void TestBehindASilentResolver::init()
{
    m_nameServer = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(53);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QVERIFY2(
        m_nameServer >= 0 && ::bind(m_nameServer, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0,
        std::strerror(errno));
}

void TestBehindASilentResolver::cleanup()
{
    // Look-ups abandoned above retry on a closed port now: refused, they finish and free themselves.
    if (m_nameServer >= 0)
        ::close(m_nameServer);
    m_nameServer = -1;
}

int TestBehindASilentResolver::queriesReceived()
{
    int count = 0;
    char datagram[512];
    while (::recv(m_nameServer, datagram, sizeof datagram, 0) >= 0)
        ++count;
    return count;
}

bool TestBehindASilentResolver::waitForQuery()
{
    pollfd server { m_nameServer, POLLIN, 0 };
    return ::poll(&server, 1, kSignalWithinMs) == 1;
}

void TestBehindASilentResolver::stopReturnsWhileTheQueryIsUnanswered()
{
    PgChangeListener listener(QStringLiteral("postgresql://faultline@%1:5432/live").arg(kName));
    QSignalSpy lost(&listener, &PgChangeListener::connectionLost);
    listener.start();
    if (!waitForQuery()) {
        QCoreApplication::processEvents();
        QSKIP(qPrintable(QStringLiteral("this system's resolver did not ask resolv.conf's name server (%1)")
                             .arg(lost.isEmpty() ? QStringLiteral("no answer") : lost.at(0).at(0).toString())));
    }
    listener.stop(); // the listener's thread waits for the look-up; stop() joins it
    // A look-up that gave up would have asked 5 times for A and AAAA each: fewer
    // queries mean stop() returned while it was still waiting for an answer.
    const int queries = queriesReceived();
    QVERIFY2(queries >= 1 && queries < 10, qPrintable(QString::number(queries)));
    QCoreApplication::processEvents();
    QVERIFY(lost.isEmpty()); // nothing said after stop(), and the look-up never failed
}

void TestBehindASilentResolver::anAbandonedLookUpIsLeftToGlibc()
{
    PgHostLookup lookup({ kName.toUtf8() });
    StopPipe stop;
    QVERIFY(stop.ok());
    QVERIFY(waitForQuery());
    stop.stop();
    QCOMPARE(lookup.wait(stop.readEnd()), PgHostLookup::Wait::Stopped);
    QCOMPARE(lookup.abandon(), 1); // glibc is running it: it finishes on its own and frees what it used
    QVERIFY(lookup.addresses(0).isEmpty()); // never read while glibc may still write it
    QVERIFY(queriesReceived() < 10);
}

void TestBehindASilentResolver::aNameServerThatIsNotThereIsReported()
{
    ::close(m_nameServer); // refused at once: the look-up fails without waiting
    m_nameServer = -1;
    PgChangeListener listener(QStringLiteral("postgresql://faultline:s3cret@%1:5432/live").arg(kName));
    QSignalSpy lost(&listener, &PgChangeListener::connectionLost);
    listener.start();
    QVERIFY(lost.wait(kSignalWithinMs));
    const QString reason = lost.at(0).at(0).toString();
    QVERIFY2(reason.contains(QStringLiteral("could not translate host name \"%1\" to address").arg(kName)),
        qPrintable(reason));
    QVERIFY2(!reason.contains(QLatin1String("s3cret")), qPrintable(reason));
}

namespace {

// The child's isolation, before any test runs; a reason when it cannot be had.
QString isolateBehindASilentResolver(QTemporaryFile &resolvConf)
{
    const int control = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq loopback {};
    std::strncpy(loopback.ifr_name, "lo", IFNAMSIZ - 1);
    bool up = control >= 0 && ::ioctl(control, SIOCGIFFLAGS, &loopback) == 0;
    if (up) {
        loopback.ifr_flags = short(loopback.ifr_flags | IFF_UP);
        up = ::ioctl(control, SIOCSIFFLAGS, &loopback) == 0;
    }
    const int upError = errno;
    if (control >= 0)
        ::close(control);
    if (!up)
        return QStringLiteral("bringing up the loopback: %1").arg(QString::fromLocal8Bit(std::strerror(upError)));
    if (!resolvConf.open())
        return QStringLiteral("a temporary file: %1").arg(resolvConf.errorString());
    resolvConf.write("nameserver 127.0.0.1\noptions timeout:30 attempts:5\n");
    resolvConf.flush();
    if (::mount(QFile::encodeName(resolvConf.fileName()).constData(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr)
        != 0)
        return QStringLiteral("mounting over /etc/resolv.conf: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    return {};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc > 1 && qstrcmp(argv[1], kBehindASilentResolver) == 0) {
        QTemporaryFile resolvConf;
        if (const QString reason = isolateBehindASilentResolver(resolvConf); !reason.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(reason));
            return kCannotIsolate;
        }
        TestBehindASilentResolver child;
        return QTest::qExec(&child, 1, argv);
    }
    TestPgHostLookup test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_pg_host_lookup.moc"
