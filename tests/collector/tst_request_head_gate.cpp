// Issue 15, finding 11, over real sockets: the framing libmicrohttpd 0.9.75
// leaves unanswered gets one JSON answer. A first chunk of 2^64-1 bytes is
// refused (413) by the request head gate as soon as its size line is there; a
// body that stalls — its chunk line never sent, or trickling, on a fresh or a
// kept-alive connection — is answered 408 by the body-rate guard before it
// closes the connection, where it used to close it in silence.
#include "support/collector/running_collector.h"
#include "support/http_client.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>

using namespace faultline;
using namespace faultline::test;

namespace {

// The status of the last answer in `data` (after a 100 Continue or an earlier answer).
int lastStatus(const QByteArray &data)
{
    const qsizetype at = data.lastIndexOf("HTTP/1.1 ");
    return at < 0 ? 0 : data.mid(at + 9, 3).toInt();
}

// How many final answers `data` holds: each has a Date header (a 100 Continue has none).
qsizetype answers(const QByteArray &data) { return data.count("\r\nDate: "); }

QJsonObject lastJson(const QByteArray &data)
{
    const qsizetype headEnd = data.lastIndexOf("\r\n\r\n");
    return headEnd < 0 ? QJsonObject() : QJsonDocument::fromJson(data.mid(headEnd + 4)).object();
}

// Everything the server sends until it closes, or `deadlineMs` pass.
QByteArray readUntilClosed(QTcpSocket &socket, int deadlineMs)
{
    QByteArray data;
    const QDeadlineTimer deadline(deadlineMs);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
            data += socket.readAll();
    }
    return data + socket.readAll();
}

} // namespace

class TestRequestHeadGate : public QObject {
    Q_OBJECT

    RunningCollector m_server;
    quint16 m_port = 0;

    void assertStillServing()
    {
        QCOMPARE(post(m_port, m_server.storePath(), { { "X-Sentry-Auth", m_server.sentryAuth() } },
                     "{\"message\":\"still here\"}")
                     .status,
            200);
    }

    QByteArray chunkedHead(const QByteArray &extra = {}) const
    {
        return "POST " + m_server.storePath() + " HTTP/1.1\r\nHost: x\r\nX-Sentry-Auth: " + m_server.sentryAuth()
            + "\r\nTransfer-Encoding: chunked\r\n" + extra + "\r\n";
    }

private slots:
    void initTestCase()
    {
        CollectorOptions options;
        options.http.bodyGraceMs = 1000; // the body-rate guard, sooner than its 5 s default
        QString error;
        QVERIFY2(m_server.start(options, &error), qPrintable(error));
        m_port = m_server.port();
    }

    void cleanupTestCase() { m_server.stop(); }

    // libmicrohttpd wrote its own HTML head twice for these; now one JSON answer, counted once.
    void badContentLengthIsAnsweredOnce_data()
    {
        QTest::addColumn<QByteArray>("length");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("not a number") << QByteArray("abc") << 400 << "invalid Content-Length header";
        QTest::newRow("2^64") << QByteArray("18446744073709551616") << 413
                              << "request body of 18446744073709551616 bytes exceeds the";
    }
    void badContentLengthIsAnsweredOnce()
    {
        QFETCH(QByteArray, length);
        QFETCH(int, status);
        QFETCH(QString, error);
        const quint64 rejectedBefore = m_server.collector().stats().rejectedRequests;
        const QByteArray answer = exchangeRaw(m_port,
            "POST " + m_server.storePath() + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n{}", 5000);
        QCOMPARE(lastStatus(answer), status);
        QVERIFY2(answers(answer) == 1, answer.constData());
        QVERIFY2(answer.contains("\r\nConnection: close\r\n"), answer.constData());
        QVERIFY2(lastJson(answer).value("error").toString().contains(error), answer.constData());
        QCOMPARE(m_server.collector().stats().rejectedRequests, rejectedBefore + 1);
        assertStillServing();
    }

    void hugeChunkIsAnsweredAtOnce_data()
    {
        QTest::addColumn<bool>("pause");
        QTest::newRow("with the head") << false;
        QTest::newRow("after a pause") << true;
    }
    void hugeChunkIsAnsweredAtOnce()
    {
        QFETCH(bool, pause);
        const quint64 rejectedBefore = m_server.collector().stats().rejectedRequests;
        const QByteArray chunk = "ffffffffffffffff\r\n" + QByteArray(100, 'x');
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        QVERIFY(socket.waitForConnected(2000));
        socket.write(pause ? chunkedHead() : chunkedHead() + chunk);
        if (pause) {
            QVERIFY(!socket.waitForReadyRead(300)); // the head alone: nothing to say yet
            socket.write(chunk);
        }
        // A 413, not the guard's 408: the gate answered, not the rate guard after its grace.
        const QByteArray answer = readUntilClosed(socket, 5000);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(lastStatus(answer), 413);
        QVERIFY2(answers(answer) == 1, answer.constData());
        const QJsonObject json = lastJson(answer);
        QCOMPARE(json.value("status_code").toInt(), 413);
        QVERIFY2(json.value("error").toString().contains("a chunk of 18446744073709551615 bytes exceeds the"),
            answer.constData());
        QCOMPARE(m_server.collector().stats().rejectedRequests, rejectedBefore + 1);
        assertStillServing();
    }

    void stalledBodyIsAnswered408_data()
    {
        QTest::addColumn<QByteArray>("before"); // a request answered first on the same connection
        QTest::addColumn<QByteArray>("extraHeaders");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("answersExpected");
        // Held by the gate, which waits for the first chunk line.
        QTest::newRow("chunk line never sent") << QByteArray() << QByteArray() << QByteArray() << 1;
        // Handed to libmicrohttpd at once (it owes the 100), then a chunk it waits for in silence.
        QTest::newRow("expects 100, huge chunk")
            << QByteArray() << QByteArray("Expect: 100-continue\r\n") << QByteArray("ffffffffffffffff\r\nab") << 1;
        // A kept-alive connection: libmicrohttpd reads the second head, the gate never sees it.
        QTest::newRow("kept alive, huge chunk") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray()
                                                << QByteArray("ffffffffffffffff\r\n") << 2;
        QTest::newRow("kept alive, trickle")
            << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray() << QByteArray("a\r\n{\"mess") << 2;
    }
    void stalledBodyIsAnswered408()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, extraHeaders);
        QFETCH(QByteArray, body);
        QFETCH(int, answersExpected);
        const quint64 rejectedBefore = m_server.collector().stats().rejectedRequests;
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        QVERIFY(socket.waitForConnected(2000));
        socket.write(before + chunkedHead(extraHeaders) + body);
        // After the 1 s grace the guard looks every 200 ms; 5 s is its default grace.
        const QByteArray answer = readUntilClosed(socket, 5000);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(lastStatus(answer), 408);
        QVERIFY2(answers(answer) == answersExpected, answer.constData());
        const QJsonObject json = lastJson(answer);
        QCOMPARE(json.value("status_code").toInt(), 408);
        QVERIFY2(json.value("error").toString().contains("request body too slow"), answer.constData());
        QCOMPARE(m_server.collector().stats().rejectedRequests, rejectedBefore + 1);
        assertStillServing();
    }
};

QTEST_GUILESS_MAIN(TestRequestHeadGate)
#include "tst_request_head_gate.moc"
