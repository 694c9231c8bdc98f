// `faultline` on a PostgreSQL server whose host name never resolves (#18):
// SIGTERM (systemctl stop, Ctrl+C) ends it at once, headless or as a window,
// instead of after the name server's timeouts (timeout × attempts, 10 s and
// more by default). The real binary runs behind a name server that never
// answers (support/silent_resolver.h); the test signals it once the look-up
// has reached that server.
#include "support/silent_resolver.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

using namespace faultline::test;

namespace {

constexpr const char *kBehindASilentResolver = "--behind-a-silent-resolver";
// Generous for a loaded machine, and far below the 150 s a look-up takes to give up here.
constexpr int kWithinMs = 30000;

} // namespace

class TestPgUnresolvableHost : public QObject {
    Q_OBJECT

private slots:
    void sigtermDoesNotWaitForASilentResolver();
};

void TestPgUnresolvableHost::sigtermDoesNotWaitForASilentResolver()
{
    const IsolatedRun run
        = runBehindASilentResolver(kBehindASilentResolver, QProcessEnvironment::systemEnvironment(), 240000);
    if (!run.skipReason.isEmpty())
        QSKIP(qPrintable(run.skipReason));
    QVERIFY2(run.failure.isEmpty(), qPrintable(run.failure));
}

// In the child, behind the silent name server.
class TestBehindASilentResolver : public QObject {
    Q_OBJECT

public:
    explicit TestBehindASilentResolver(SilentResolver &resolver)
        : m_resolver(resolver)
    {
    }

private slots:
    void init();
    void cleanup();
    void theHeadlessCollectorsStartEnds();
    void theWindowsCheckOfTheDatabaseEnds();

private:
    // Starts faultline with `arguments`, sends SIGTERM once it asked the name
    // server, and checks it ended cleanly, before its look-up gave up.
    void terminateWhileLookingUp(const QStringList &arguments);

    SilentResolver &m_resolver;
};

void TestBehindASilentResolver::init() { QVERIFY2(m_resolver.listen(), std::strerror(errno)); }

void TestBehindASilentResolver::cleanup() { m_resolver.close(); }

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

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc > 1 && qstrcmp(argv[1], kBehindASilentResolver) == 0) {
        SilentResolver resolver;
        if (const QString reason = resolver.isolate(); !reason.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(reason));
            return kCannotIsolate;
        }
        TestBehindASilentResolver child(resolver);
        return QTest::qExec(&child, 1, argv);
    }
    TestPgUnresolvableHost test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_pg_unresolvable_host.moc"
