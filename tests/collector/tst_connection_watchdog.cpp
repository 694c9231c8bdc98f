// The deadlines libmicrohttpd lacks (collector/connection_watchdog.h), on real
// sockets: a connection the watchdog cuts is shut down, so its peer reads the
// end of the stream, and the others stay open.
#include "collector/connection_watchdog.h"

#include <QTest>

#include <array>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

using namespace faultline;
using namespace std::chrono_literals;

namespace {

// One connection as libmicrohttpd would report it: an opaque handle, and a socket
// whose other end plays the client.
class FakeConnection {
public:
    FakeConnection() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM, 0, m_fds.data()) == 0); }
    ~FakeConnection()
    {
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }
    FakeConnection(const FakeConnection &) = delete;
    FakeConnection &operator=(const FakeConnection &) = delete;

    MHD_Connection *handle() { return reinterpret_cast<MHD_Connection *>(this); }
    int serverFd() const { return m_fds[0]; }
    // The client sees the end of the stream once the server side was shut down.
    bool cut() const
    {
        char byte = 0;
        return ::recv(m_fds[1], &byte, 1, MSG_DONTWAIT) == 0;
    }

private:
    std::array<int, 2> m_fds { -1, -1 };
};

WatchdogOptions fastOptions()
{
    WatchdogOptions options;
    options.headDeadline = 100ms;
    options.bodyGrace = 100ms;
    options.minBodyBytesPerSecond = 1024;
    options.evictAbove = 1000;
    options.tick = 10ms;
    return options;
}

} // namespace

class TestConnectionWatchdog : public QObject {
    Q_OBJECT

private slots:
    void nearTheCapTheLongestWaitingHeadGoes()
    {
        WatchdogOptions options = fastOptions();
        options.evictAbove = 2;
        ConnectionWatchdog watchdog(options); // not started: eviction happens as connections open
        FakeConnection sending, waiting, newest;
        watchdog.opened(sending.handle(), sending.serverFd());
        watchdog.headReceived(sending.handle()); // sending its body: never evicted for its head
        watchdog.opened(waiting.handle(), waiting.serverFd());
        QCOMPARE(watchdog.closedForDeadline(), 0);
        watchdog.opened(newest.handle(), newest.serverFd());
        QCOMPARE(watchdog.closedForDeadline(), 1);
        QVERIFY(waiting.cut());
        QVERIFY(!sending.cut());
        QVERIFY(!newest.cut());
    }

    void aHeadNotCompleteInTimeIsCut()
    {
        ConnectionWatchdog watchdog(fastOptions());
        FakeConnection slow, prompt;
        watchdog.opened(slow.handle(), slow.serverFd());
        watchdog.opened(prompt.handle(), prompt.serverFd());
        watchdog.headReceived(prompt.handle());
        watchdog.answering(prompt.handle()); // answered: no deadline applies any more
        watchdog.start();
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.closedForDeadline(), 1, 5000);
        QVERIFY(slow.cut());
        QVERIFY(!prompt.cut());
        watchdog.stop();
    }

    void aBodySlowerThanTheRateIsCut()
    {
        ConnectionWatchdog watchdog(fastOptions());
        FakeConnection trickling, streaming;
        for (FakeConnection *connection : { &trickling, &streaming }) {
            watchdog.opened(connection->handle(), connection->serverFd());
            watchdog.headReceived(connection->handle());
        }
        watchdog.bodyReceived(trickling.handle(), 10);
        watchdog.bodyReceived(streaming.handle(), 1 << 20); // far above 1 KiB/s for the whole test
        watchdog.start();
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.closedForDeadline(), 1, 5000);
        QVERIFY(trickling.cut());
        QVERIFY(!streaming.cut());
        watchdog.stop();
    }

    void aClosedConnectionIsForgotten()
    {
        WatchdogOptions options = fastOptions();
        options.evictAbove = 1;
        ConnectionWatchdog watchdog(options);
        FakeConnection first, second;
        watchdog.opened(first.handle(), first.serverFd());
        watchdog.closed(first.handle());
        watchdog.opened(second.handle(), second.serverFd()); // one open: under the cap
        QCOMPARE(watchdog.closedForDeadline(), 0);
        QVERIFY(!second.cut());
    }

    void keptAliveTheNextHeadHasItsOwnDeadline()
    {
        WatchdogOptions options = fastOptions();
        options.evictAbove = 1;
        ConnectionWatchdog watchdog(options);
        FakeConnection keptAlive, other;
        watchdog.opened(keptAlive.handle(), keptAlive.serverFd());
        watchdog.headReceived(keptAlive.handle());
        watchdog.answering(keptAlive.handle());
        watchdog.requestDone(keptAlive.handle()); // waiting for its next head again: evictable
        watchdog.opened(other.handle(), other.serverFd());
        QCOMPARE(watchdog.closedForDeadline(), 1);
        QVERIFY(keptAlive.cut());
        QVERIFY(!other.cut());
    }
};

QTEST_GUILESS_MAIN(TestConnectionWatchdog)
#include "tst_connection_watchdog.moc"
