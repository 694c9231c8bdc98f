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
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryFile>

namespace faultline::test {

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

} // namespace faultline::test
