// The HTTP layer holding its ground: stalled and idle connections time out,
// a crowd of connections from one peer is capped without exhausting file
// descriptors, and the collector keeps answering throughout.
#include "support/collector/running_collector.h"
#include "support/http_client.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>

using namespace faultline;
using namespace faultline::test;

namespace {
int openFileDescriptors()
{
    return int(QDir("/proc/self/fd").entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size());
}
} // namespace

class TestHttpHostile : public QObject {
    Q_OBJECT

    RunningCollector m_server;
    Project m_project;

    RawResponse postEvent()
    {
        return post(m_server.port(), m_server.storePath(), { { "X-Sentry-Auth", m_server.sentryAuth() } },
            "{\"message\":\"ok\"}");
    }

private slots:
    void initTestCase()
    {
        CollectorOptions options;
        options.http.connectionTimeoutSeconds = 1;
        options.http.maxConnections = 64;
        options.http.maxConnectionsPerPeer = 48;
        QString error;
        QVERIFY2(m_server.start(options, &error), qPrintable(error));
        m_project = m_server.project();
    }

    void cleanupTestCase() { m_server.stop(); }

    void halfSentBodyTimesOut()
    {
        QTcpSocket socket;
        socket.connectToHost("127.0.0.1", m_server.collector().port());
        QVERIFY(socket.waitForConnected(2000));
        socket.write("POST /api/1/store/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"message\":");
        QElapsedTimer timer;
        timer.start();
        // The server must hang up on its own; we never send the rest.
        while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 10000)
            socket.waitForDisconnected(200);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(postEvent().status, 200);
    }

    void idleConnectionTimesOut()
    {
        QTcpSocket socket;
        socket.connectToHost("127.0.0.1", m_server.collector().port());
        QVERIFY(socket.waitForConnected(2000));
        QElapsedTimer timer;
        timer.start();
        while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 10000)
            socket.waitForDisconnected(200);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY(timer.elapsed() < 5000);
    }

    void aCrowdOfConnectionsIsCappedAndServingContinues()
    {
        // Its own collector, idle connections kept for long: what closes the crowd here is the cap alone.
        CollectorOptions options;
        options.http.port = 0;
        options.http.connectionTimeoutSeconds = 60;
        options.http.maxConnections = 64;
        options.http.maxConnectionsPerPeer = 48;
        Collector collector(options, m_server.dbPath(), m_server.writer());
        QString error;
        QVERIFY2(collector.start(&error), qPrintable(error));
        const int before = openFileDescriptors();
        std::vector<std::unique_ptr<QTcpSocket>> crowd;
        for (int i = 0; i < 300; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost("127.0.0.1", collector.port());
            socket->waitForConnected(1000);
            socket->write("POST /api/1/store/ HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
            socket->flush();
            crowd.push_back(std::move(socket));
        }
        // The server has dealt with the crowd once it closed every connection beyond its cap.
        const auto stillOpen = [&crowd] {
            return std::count_if(crowd.begin(), crowd.end(),
                [](const auto &socket) { return socket->state() != QAbstractSocket::UnconnectedState; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(stillOpen() <= 64, 20'000);
        // Our own open client sockets count here too; the server side must stay near its cap of 64.
        const int serverSide = openFileDescriptors() - before - int(stillOpen());
        QVERIFY2(serverSide < 64 + 16, qPrintable(QString::number(serverSide)));
        crowd.clear();
        // Once the crowd is gone, normal clients get through again.
        const QByteArray target = "/api/" + QByteArray::number(m_project.id) + "/store/";
        const HeaderList auth { { "X-Sentry-Auth", m_server.sentryAuth() } };
        QTRY_COMPARE_WITH_TIMEOUT(post(collector.port(), target, auth, "{\"message\":\"ok\"}").status, 200, 8000);
        collector.stop();
    }

    // Issue 15, finding 2: a peer that sends a byte now and then, never idle long
    // enough for the idle timeout, is closed by the head deadline or the body rate.
    void dribblingPeersAreClosed_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::newRow("head a byte at a time") << QByteArray();
        QTest::newRow("body a byte at a time")
            << QByteArray("POST /api/1/store/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    }
    void dribblingPeersAreClosed()
    {
        QFETCH(QByteArray, head);
        CollectorOptions options;
        options.http.port = 0;
        options.http.connectionTimeoutSeconds = 2; // each byte below comes well within it
        options.http.headTimeoutMs = 1500;
        options.http.bodyGraceMs = 1000;
        Collector collector(options, m_server.dbPath(), m_server.writer());
        QString error;
        QVERIFY2(collector.start(&error), qPrintable(error));
        QTcpSocket socket;
        socket.connectToHost("127.0.0.1", collector.port());
        QVERIFY(socket.waitForConnected(2000));
        socket.write(head);
        const QByteArray drip
            = head.isEmpty() ? QByteArray("POST /api/1/store/ HTTP/1.1\r\nX-Pad: ") : QByteArray(50, ' ');
        QElapsedTimer timer;
        timer.start();
        // The attack's own cadence: one byte every 300 ms, for up to 10 s.
        for (qsizetype i = 0; socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 10000; ++i) {
            socket.write(drip.mid(i % drip.size(), 1));
            socket.waitForDisconnected(300);
        }
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        collector.stop();
    }

    // Issue 15, finding 2: slow heads filling the connection cap do not lock a well-behaved client out.
    void slowHeadsCannotTakeEveryConnection()
    {
        CollectorOptions options;
        options.http.port = 0;
        options.http.maxConnections = 16;
        options.http.maxConnectionsPerPeer = 16;
        Collector collector(options, m_server.dbPath(), m_server.writer());
        QString error;
        QVERIFY2(collector.start(&error), qPrintable(error));
        std::vector<std::unique_ptr<QTcpSocket>> slow;
        for (int i = 0; i < 16; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost("127.0.0.1", collector.port());
            QVERIFY(socket->waitForConnected(2000));
            socket->write("POST /api/1/store/ HTTP/1.1\r\n"); // and never the rest
            socket->flush();
            slow.push_back(std::move(socket));
        }
        const QByteArray target = "/api/" + QByteArray::number(m_project.id) + "/store/";
        const RawResponse response = post(collector.port(), target,
            { { "X-Sentry-Auth", "Sentry sentry_key=" + m_project.publicKey.toUtf8() } },
            "{\"message\":\"through the crowd\"}");
        QCOMPARE(response.status, 200);
        collector.stop();
    }

    void bufferedBodiesHaveABudget()
    {
        // Request bodies held in memory at once are capped: while one client holds
        // a large upload open, another that would exceed the budget is told to back
        // off (429), not buffered; once the first is gone, requests pass again.
        CollectorOptions options;
        options.http.port = 0;
        options.http.maxBufferedBytes = 64 * 1024;
        Collector collector(options, m_server.dbPath(), m_server.writer());
        QString error;
        QVERIFY2(collector.start(&error), qPrintable(error));
        const QByteArray target = "/api/" + QByteArray::number(m_project.id) + "/store/";
        const HeaderList auth { { "X-Sentry-Auth", "Sentry sentry_key=" + m_project.publicKey.toUtf8() } };
        const QByteArray bigEvent = "{\"message\":\"" + QByteArray(30'000, 'x') + "\"}";

        auto hog = std::make_unique<QTcpSocket>();
        hog->connectToHost("127.0.0.1", collector.port());
        QVERIFY(hog->waitForConnected(2000));
        // With its key: a keyless body is refused from the head and never buffered.
        hog->write("POST " + target + " HTTP/1.1\r\nHost: x\r\nX-Sentry-Auth: " + auth.first().second
            + "\r\nContent-Length: 100000\r\n\r\n" + QByteArray(50'000, ' '));
        while (hog->bytesToWrite() > 0) // waitForBytesWritten returns after the first chunk
            QVERIFY(hog->waitForBytesWritten(2000));
        // A fixed wait, the one left: that the server holds the body is not observable from
        // outside, and a big request sent before it does takes the budget first, so the hog
        // is the one refused (a retry loop here passes by racing it, not by the budget).
        QTest::qWait(300);

        const RawResponse refused = post(collector.port(), target, auth, bigEvent);
        QCOMPARE(refused.status, 429);
        QVERIFY(refused.json().value(QStringLiteral("error")).toString().contains(QStringLiteral("request bodies")));
        QCOMPARE(refused.header("Retry-After"), QByteArray("2"));
        QCOMPARE(refused.header("X-Sentry-Rate-Limits"), QByteArray("2::organization"));
        // Small requests still fit.
        QCOMPARE(post(collector.port(), target, auth, "{\"message\":\"small\"}").status, 200);

        hog.reset(); // the held body is released with its connection
        QTRY_COMPARE_WITH_TIMEOUT(post(collector.port(), target, auth, bigEvent).status, 200, 5000);
        collector.stop();
    }
};

QTEST_GUILESS_MAIN(TestHttpHostile)
#include "tst_http_hostile.moc"
