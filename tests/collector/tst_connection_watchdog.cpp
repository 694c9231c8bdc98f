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

    ConnectionKey handle() const { return this; }
    int serverFd() const { return m_fds[0]; }
    // The client sees the end of the stream once the server side was shut down.
    bool cut() const
    {
        char byte = 0;
        return ::recv(m_fds[1], &byte, 1, MSG_DONTWAIT) == 0;
    }
    // What the server side wrote, up to the end of the stream (once it was cut).
    QByteArray received() const
    {
        QByteArray data;
        char buffer[4096];
        for (ssize_t got = 0; (got = ::recv(m_fds[1], buffer, sizeof buffer, MSG_DONTWAIT)) > 0;)
            data.append(buffer, got);
        return data;
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
        QVERIFY(watchdog.claimAnswer(prompt.handle())); // answered: no deadline applies any more
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
        QVERIFY(watchdog.claimAnswer(keptAlive.handle()));
        watchdog.requestDone(keptAlive.handle()); // waiting for its next head again: evictable
        watchdog.opened(other.handle(), other.serverFd());
        QCOMPARE(watchdog.closedForDeadline(), 1);
        QVERIFY(keptAlive.cut());
        QVERIFY(!other.cut());
    }

    // A body too slow whose owner gave its head is told so (the answer the server
    // builds), then cut; its owner can no longer queue an answer of its own.
    void aSlowBodyWithItsHeadIsAnsweredThenCut()
    {
        int built = 0;
        ConnectionWatchdog watchdog(fastOptions(), [&built](const HttpRequest &head, const SlowBody &body) {
            ++built;
            return "408 for " + head.path.toUtf8() + " after " + QByteArray::number(body.bytes);
        });
        FakeConnection slow;
        HttpRequest head;
        head.path = QStringLiteral("/api/1/store/");
        head.body = "never read by the watchdog";
        watchdog.opened(slow.handle(), slow.serverFd());
        watchdog.headReceived(slow.handle(), &head);
        watchdog.bodyReceived(slow.handle(), 3);
        watchdog.start();
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.closedForDeadline(), 1, 5000);
        watchdog.stop();
        QCOMPARE(watchdog.answeredTooSlow(), 1);
        QCOMPARE(built, 1);
        QCOMPARE(slow.received(), QByteArray("408 for /api/1/store/ after 3"));
        QVERIFY(!watchdog.claimAnswer(slow.handle()));
    }

    // Cut without an answer of ours: no head given, a 100 Continue possibly still
    // being written (no body yet), or libmicrohttpd answering on the serving thread.
    void aSlowBodyIsCutSilentlyWhenAnAnswerCouldMeetAnother_data()
    {
        QTest::addColumn<bool>("withHead");
        QTest::addColumn<bool>("onlyAfterBody");
        QTest::addColumn<bool>("libraryAnswers");
        QTest::newRow("no head") << false << false << false;
        QTest::newRow("100 Continue owed") << true << true << false;
        QTest::newRow("libmicrohttpd answers") << true << false << true;
    }
    void aSlowBodyIsCutSilentlyWhenAnAnswerCouldMeetAnother()
    {
        QFETCH(bool, withHead);
        QFETCH(bool, onlyAfterBody);
        QFETCH(bool, libraryAnswers);
        ConnectionWatchdog watchdog(
            fastOptions(), [](const HttpRequest &, const SlowBody &) { return QByteArray("an answer"); });
        FakeConnection slow;
        HttpRequest head;
        watchdog.opened(slow.handle(), slow.serverFd());
        watchdog.headReceived(slow.handle(), withHead ? &head : nullptr, onlyAfterBody);
        if (libraryAnswers)
            watchdog.libraryAnswersOnThisThread(); // the thread that reported the head
        watchdog.start();
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.closedForDeadline(), 1, 5000);
        watchdog.stop();
        QCOMPARE(watchdog.answeredTooSlow(), 0);
        QCOMPARE(slow.received(), QByteArray());
    }

    // The gate's and libmicrohttpd's sockets share one budget: only live ones count.
    void liveConnectionsLeaveOutTheCutOnes()
    {
        WatchdogOptions options = fastOptions();
        options.evictAbove = 1;
        ConnectionWatchdog watchdog(options);
        FakeConnection first, second;
        watchdog.opened(first.handle(), first.serverFd());
        QCOMPARE(watchdog.liveConnections(), 1);
        watchdog.opened(second.handle(), second.serverFd()); // evicts the first
        QCOMPARE(watchdog.liveConnections(), 1);
    }
};

QTEST_GUILESS_MAIN(TestConnectionWatchdog)
#include "tst_connection_watchdog.moc"
