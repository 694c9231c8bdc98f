// `faultline` on a PostgreSQL server whose host name never resolves (#18):
// SIGTERM (systemctl stop, Ctrl+C) ends it at once, headless or as a window,
// instead of after the name server's timeouts (timeout × attempts, 10 s and
// more by default); also when the name stops resolving while it collects, with
// an MCP call or the first event's project look-up connecting. The real binary runs behind a name server that never
// answers (support/silent_resolver.h); the test signals it once the look-up
// has reached that server.
#include "support/faultline_process.h"
#include "support/http_client.h"
#include "support/postgres_cluster.h"
#include "support/silent_resolver.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>

using namespace faultline::test;

namespace {

// Generous for a loaded machine, and far below the 150 s a look-up takes to give up here.
constexpr int kWithinMs = 30000;

} // namespace

class TestPgUnresolvableHost : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sigtermDoesNotWaitForASilentResolver();

private:
    PostgresCluster m_cluster;
};

void TestPgUnresolvableHost::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("team")), qPrintable(m_cluster.error()));
}

void TestPgUnresolvableHost::sigtermDoesNotWaitForASilentResolver()
{
    const IsolatedRun run = runBehindASilentResolver(
        kBehindASilentResolver, withCluster(QProcessEnvironment::systemEnvironment(), m_cluster), 240000);
    FAULTLINE_VERIFY_ISOLATED_RUN(run);
}

// In the child, behind the silent name server.
class TestBehindASilentResolver : public BehindASilentResolver {
    Q_OBJECT

public:
    using BehindASilentResolver::BehindASilentResolver;

private slots:
    void init();
    void cleanup();
    void theHeadlessCollectorsStartEnds();
    void theWindowsCheckOfTheDatabaseEnds();
    void anMcpCallConnectingDoesNotHoldTheCollector();
    void theProjectLookUpConnectingDoesNotHoldTheCollector();

private:
    // Starts faultline with `arguments`, sends SIGTERM once it asked the name
    // server, and checks it ended cleanly, before its look-up gave up.
    void terminateWhileLookingUp(const QStringList &arguments);
    // Starts a headless collector whose database host name resolves, makes it resolve no more, posts
    // `target` (the request connects anew), and checks SIGTERM ends the collector before the look-up gave up.
    void terminateWhileARequestConnects(const QByteArray &target, const HeaderList &headers, const QByteArray &body);
};

void TestBehindASilentResolver::init() { QVERIFY2(m_resolver.listen(), std::strerror(errno)); }

void TestBehindASilentResolver::cleanup()
{
    m_resolver.close();
    QVERIFY(m_resolver.setHosts("127.0.0.1 localhost\n"));
}

void TestBehindASilentResolver::terminateWhileLookingUp(const QStringList &arguments)
{
    QProcess faultline;
    faultline.setProcessChannelMode(QProcess::MergedChannels);
    faultline.start(QStringLiteral(FAULTLINE_BINARY), arguments);
    QVERIFY2(faultline.waitForStarted(), qPrintable(faultline.errorString()));
    QVERIFY2(m_resolver.waitForQuery(kWithinMs), qPrintable(QString::fromLocal8Bit(faultline.readAll())));
    ::kill(pid_t(faultline.processId()), SIGTERM);
    const bool ended = faultline.waitForFinished(kWithinMs);
    const QString output = QString::fromLocal8Bit(faultline.readAll());
    QVERIFY2(ended, qPrintable(QStringLiteral("still running after SIGTERM:\n%1").arg(output)));
    QCOMPARE(faultline.exitStatus(), QProcess::NormalExit);
    QVERIFY2(faultline.exitCode() == 0, qPrintable(output)); // terminated, not "cannot be reached" (9)
    const int queries = m_resolver.queriesReceived();
    QVERIFY2(queries >= 1 && queries < 10, qPrintable(QString::number(queries))); // 10: the look-up gave up
}

void TestBehindASilentResolver::theHeadlessCollectorsStartEnds()
{
    terminateWhileLookingUp({ QStringLiteral("--headless"), QStringLiteral("--db"),
        QStringLiteral("postgresql://faultline@%1/team").arg(kSilentlyResolvedName), QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:0") });
}

void TestBehindASilentResolver::theWindowsCheckOfTheDatabaseEnds()
{
    // A window on PostgreSQL checks the server before it opens (app/postgres_viewer.h).
    terminateWhileLookingUp(
        { QStringLiteral("--db"), QStringLiteral("postgresql://faultline@%1/team").arg(kSilentlyResolvedName) });
}

void TestBehindASilentResolver::terminateWhileARequestConnects(
    const QByteArray &target, const HeaderList &headers, const QByteArray &body)
{
    // The collector's hosts: the name, which the hosts file knows for now, then the parent's cluster.
    const QString uri = clusterBehindName(kSilentlyResolvedName, QStringLiteral("team"));
    QVERIFY2(!uri.isEmpty(), "the parent names no cluster");
    QVERIFY(m_resolver.setHosts("127.0.0.1 localhost\n127.0.0.1 " + kSilentlyResolvedName.toUtf8() + "\n"));
    FaultlineProcess faultline(QStringLiteral(FAULTLINE_BINARY), uri);
    QVERIFY2(faultline.start(), qPrintable(faultline.log()));

    // The name is gone from the hosts file: the connection the request opens asks the name server.
    QVERIFY(m_resolver.setHosts("127.0.0.1 localhost\n"));
    QTcpSocket client;
    client.connectToHost(QStringLiteral("127.0.0.1"), faultline.port());
    QVERIFY(client.waitForConnected(kWithinMs));
    client.write(buildRequest("POST", target,
        HeaderList { { "Host", "127.0.0.1:" + QByteArray::number(faultline.port()) } } + headers, body));
    QVERIFY(client.waitForBytesWritten(kWithinMs));
    QVERIFY2(m_resolver.waitForQuery(kWithinMs), qPrintable(faultline.log()));

    faultline.terminate(); // SIGTERM, then waits up to 15 s
    QVERIFY2(
        !faultline.isRunning(), qPrintable(QStringLiteral("still running after SIGTERM:\n%1").arg(faultline.log())));
    QVERIFY2(faultline.exitCode() == 0, qPrintable(faultline.log()));
    const int queries = m_resolver.queriesReceived();
    QVERIFY2(queries >= 1 && queries < 10, qPrintable(QString::number(queries))); // 10: the look-up gave up
}

void TestBehindASilentResolver::anMcpCallConnectingDoesNotHoldTheCollector()
{
    // /mcp reads the token first, through a connection of its own.
    terminateWhileARequestConnects("/mcp",
        { { "Authorization", "Bearer " + QByteArray(32, 'f') }, { "Content-Type", "application/json" } },
        R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
}

void TestBehindASilentResolver::theProjectLookUpConnectingDoesNotHoldTheCollector()
{
    // The first event's project is read through the collector's first connection for projects.
    terminateWhileARequestConnects("/api/1/store/",
        { { "X-Sentry-Auth", "Sentry sentry_version=7, sentry_key=" + QByteArray(32, 'a') },
            { "Content-Type", "application/json" } },
        R"({"message":"hello"})");
}

int main(int argc, char **argv)
{
    return execParentOrChild<TestPgUnresolvableHost, TestBehindASilentResolver>(argc, argv, kBehindASilentResolver);
}

#include "tst_pg_unresolvable_host.moc"
