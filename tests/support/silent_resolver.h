#pragma once
// A machine of its own whose name server never answers, for tests of what
// waits on a host name look-up (#18): glibc reads its name server from
// /etc/resolv.conf only, on port 53, so a test executable runs itself again
// (`unshare`) in mount and network namespaces of its own — and a user
// namespace unless it runs as root, who keeps access to a throw-away
// cluster's socket directory that way. There it has only a loopback, binds
// 127.0.0.1:53 and never answers, behind a private /etc/resolv.conf naming it
// (timeout 30 s × 5 attempts: a look-up that gave up would have sent 10
// queries) and a private /etc/hosts the test may rewrite. A machine that
// allows no namespaces skips, saying so.
#include <QByteArray>
#include <QCoreApplication>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryFile>
#include <QTest>

#include <cstdio>

namespace faultline::test {

class PostgresCluster;

// The argument that makes a test executable run its child's tests.
inline constexpr const char *kBehindASilentResolver = "--behind-a-silent-resolver";

// A name no hosts file knows: its look-up goes to the silent name server.
inline const QString kSilentlyResolvedName = QStringLiteral("faultline-db.example");
// What the child exits with when it cannot set up its machine: a skip, not a failure.
constexpr int kCannotIsolate = 77;

// The parent's side: this executable again with `childArgument` (which makes
// its main() run the child's tests) in namespaces of its own.
struct IsolatedRun {
    QString skipReason; // set when it could not run, or a child test skipped
    QString failure; // set when a child test failed or the child did not finish
};
IsolatedRun runBehindASilentResolver(const char *childArgument, const QProcessEnvironment &environment, int timeoutMs);
// `environment` naming the parent's throw-away cluster for the child (clusterBehindName()): its socket
// directory is reachable from any network.
QProcessEnvironment withCluster(QProcessEnvironment environment, const PostgresCluster &cluster);

// In the parent's test function: the child's skip or failure, as this test's.
#define FAULTLINE_VERIFY_ISOLATED_RUN(run)                                                                             \
    do {                                                                                                               \
        if (!(run).skipReason.isEmpty())                                                                               \
            QSKIP(qPrintable((run).skipReason));                                                                       \
        QVERIFY2((run).failure.isEmpty(), qPrintable((run).failure));                                                  \
    } while (false)

// The child's side.
class SilentResolver {
public:
    SilentResolver() = default;
    ~SilentResolver();
    SilentResolver(const SilentResolver &) = delete;
    SilentResolver &operator=(const SilentResolver &) = delete;

    // Before any test: the loopback up, resolv.conf and hosts replaced. Why not, or empty.
    QString isolate();
    // The name server on 127.0.0.1:53; close() makes glibc's retries fail at once (refused).
    bool listen();
    void close();
    bool waitForQuery(int timeoutMs); // a query arrived (it stays to be counted)
    int queriesReceived(); // read what arrived since the last call
    // /etc/hosts from now on (glibc reads it at every look-up).
    bool setHosts(const QByteArray &lines);

private:
    QTemporaryFile m_resolvConf;
    QTemporaryFile m_hosts;
    int m_socket = -1;
};

// The child's test class derives from this (with `using BehindASilentResolver::BehindASilentResolver;`).
class BehindASilentResolver : public QObject {
public:
    explicit BehindASilentResolver(SilentResolver &resolver)
        : m_resolver(resolver)
    {
    }

protected:
    SilentResolver &m_resolver;
};

// In the child, URIs of the parent's cluster (withCluster()), empty when the parent named none: through
// its socket; and with `name` as the first host (the hosts file decides whether it resolves; TCP to it is
// refused, since the server listens in the parent's network) and the socket as the second.
QString parentCluster(const QString &database);
QString clusterBehindName(const QString &name, const QString &database);

// main() of such a test: `Child` (given the SilentResolver, once isolated) when this executable was
// started again with `childArgument`, `Parent` otherwise.
template<typename Parent, typename Child> int execParentOrChild(int argc, char **argv, const char *childArgument);

} // namespace faultline::test

template<typename Parent, typename Child>
int faultline::test::execParentOrChild(int argc, char **argv, const char *childArgument)
{
    QCoreApplication app(argc, argv);
    if (argc > 1 && qstrcmp(argv[1], childArgument) == 0) {
        SilentResolver resolver;
        if (const QString reason = resolver.isolate(); !reason.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(reason));
            return kCannotIsolate;
        }
        Child child(resolver);
        return QTest::qExec(&child, 1, argv);
    }
    Parent test;
    return QTest::qExec(&test, argc, argv);
}
