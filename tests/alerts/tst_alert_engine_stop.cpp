// The alert engine's thread on PostgreSQL (#18): its owner quits it and waits
// for it (app/run_server.cpp), so a connect under way there must end when
// asked (AlertEngine::stopConnecting), also while the server's host name is
// looked up. Behind a name server that never answers (support/silent_resolver.h),
// in namespaces of its own.
#include "alerts/alert_engine.h"
#include "support/silent_resolver.h"

#include <QTest>
#include <QThread>

#include <cerrno>
#include <cstring>

using namespace faultline;
using namespace faultline::test;

namespace {

// Generous for a loaded machine, and far below the 150 s a look-up takes to give up here.
constexpr int kWithinMs = 30000;

} // namespace

class TestAlertEngineStop : public QObject {
    Q_OBJECT

private slots:
    void stopConnectingDoesNotWaitForASilentResolver();
};

void TestAlertEngineStop::stopConnectingDoesNotWaitForASilentResolver()
{
    const IsolatedRun run
        = runBehindASilentResolver(kBehindASilentResolver, QProcessEnvironment::systemEnvironment(), 120000);
    FAULTLINE_VERIFY_ISOLATED_RUN(run);
}

// In the child, behind the silent name server.
class TestBehindASilentResolver : public BehindASilentResolver {
    Q_OBJECT

public:
    using BehindASilentResolver::BehindASilentResolver;

private slots:
    void theEnginesThreadEndsWhileItConnects();
};

void TestBehindASilentResolver::theEnginesThreadEndsWhileItConnects()
{
    QVERIFY2(m_resolver.listen(), std::strerror(errno));
    QThread thread;
    auto *engine = new AlertEngine(QStringLiteral("postgresql://faultline@%1/team").arg(kSilentlyResolvedName));
    engine->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, engine, &QObject::deleteLater);
    thread.start();
    BatchSummary summary; // a committed batch: the engine opens its connection to read the rules
    summary.events = 1;
    summary.touchedProjectIds = { 1 };
    QMetaObject::invokeMethod(engine, [engine, summary]() { engine->onBatchCommitted(summary); });
    const bool asked = m_resolver.waitForQuery(kWithinMs);

    engine->stopConnecting(); // as app/run_server.cpp does before quitting the thread
    thread.quit();
    const bool ended = thread.wait(kWithinMs);
    const int queries = m_resolver.queriesReceived();
    m_resolver.close(); // a look-up still under way fails at once now: the thread ends either way
    if (!ended)
        thread.wait();
    QVERIFY(asked);
    QVERIFY2(ended, "the engine's thread still waited for its connect");
    QVERIFY2(queries >= 1 && queries < 10, qPrintable(QString::number(queries))); // 10: the look-up gave up
}

int main(int argc, char **argv)
{
    return execParentOrChild<TestAlertEngineStop, TestBehindASilentResolver>(argc, argv, kBehindASilentResolver);
}

#include "tst_alert_engine_stop.moc"
