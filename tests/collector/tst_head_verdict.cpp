// Issue 15, finding 11: what the request head gate decides from the first bytes
// of a connection (collector/head_verdict.h), without a socket: the two cases
// libmicrohttpd 0.9.75 answers badly are refused with ours, the rest handed over.
#include "collector/head_verdict.h"

#include <QTest>

using namespace faultline;

Q_DECLARE_METATYPE(faultline::HeadVerdict::Action)

namespace {

constexpr qint64 kLimit = 2 << 20;

HeadVerdict judge(const QByteArray &bytes) { return judgeRequestHead(bytes, HeadLimits { kLimit, 64 * 1024 }); }

const QByteArray kStore = "POST /api/1/store/ HTTP/1.1\r\nHost: x\r\n";

} // namespace

class TestHeadVerdict : public QObject {
    Q_OBJECT

private slots:
    void verdicts_data()
    {
        using A = HeadVerdict::Action;
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<A>("action");
        QTest::addColumn<int>("status"); // of the refusal
        QTest::addColumn<QString>("mentions");

        QTest::newRow("nothing yet") << QByteArray() << A::NeedMore << 0 << QString();
        QTest::newRow("half a head") << kStore << A::NeedMore << 0 << QString();
        QTest::newRow("plain GET") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") << A::HandOver << 0
                                   << QString();
        QTest::newRow("bare LF lines") << QByteArray("GET /health HTTP/1.1\nHost: x\n\n") << A::HandOver << 0
                                       << QString();
        QTest::newRow("empty lines first")
            << QByteArray("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n") << A::HandOver << 0 << QString();
        QTest::newRow("ordinary length") << kStore + "Content-Length: 17\r\n\r\n{\"message\":\"x\"}" << A::HandOver << 0
                                         << QString();
        // Over the limit but representable: the HTTP layer answers it (413, drained) as before.
        QTest::newRow("large length") << kStore + "Content-Length: 99999999999\r\n\r\n"
                                      << A::HandOver << 0 << QString();
        QTest::newRow("2^64-1 length") << kStore + "Content-Length: 18446744073709551615\r\n\r\n"
                                       << A::HandOver << 0 << QString();
        QTest::newRow("2^64 length") << kStore + "Content-Length: 18446744073709551616\r\n\r\n"
                                     << A::Refuse << 413 << "18446744073709551616 bytes exceeds the 2097152 byte limit";
        QTest::newRow("overflowing length") << kStore + "Content-Length: 99999999999999999999999\r\n\r\n"
                                            << A::Refuse << 413 << "request body of 99999999999999999999999 bytes";
        QTest::newRow("overflow, then letters") << kStore + "Content-Length: 99999999999999999999999x\r\n\r\n"
                                                << A::Refuse << 413 << "exceeds";
        QTest::newRow("letters") << kStore + "Content-Length: 12abc\r\n\r\n"
                                 << A::Refuse << 400 << "invalid Content-Length header";
        QTest::newRow("negative") << kStore + "Content-Length: -1\r\n\r\n" << A::Refuse << 400 << "Content-Length";
        QTest::newRow("empty length") << kStore + "Content-Length:\r\n\r\n" << A::Refuse << 400 << "Content-Length";
        QTest::newRow("name in any case") << kStore + "content-LENGTH: 99999999999999999999999\r\n\r\n"
                                          << A::Refuse << 413 << "exceeds";
        // libmicrohttpd reads only the first; the HTTP layer refuses two that differ.
        QTest::newRow("second length bad")
            << kStore + "Content-Length: 2\r\nContent-Length: zz\r\n\r\n{}" << A::HandOver << 0 << QString();
        // With Transfer-Encoding libmicrohttpd ignores Content-Length; the HTTP layer refuses both (400).
        QTest::newRow("TE and bad CL") << kStore + "Transfer-Encoding: chunked\r\nContent-Length: 1x\r\n\r\n5\r\n"
                                       << A::HandOver << 0 << QString();
        QTest::newRow("chunk, small") << kStore + "Transfer-Encoding: chunked\r\n\r\n10\r\n"
                                      << A::HandOver << 0 << QString();
        QTest::newRow("chunk, extension") << kStore + "Transfer-Encoding: chunked\r\n\r\n10;x=y\r\n"
                                          << A::HandOver << 0 << QString();
        QTest::newRow("chunk line not yet") << kStore + "Transfer-Encoding: chunked\r\n\r\n"
                                            << A::NeedMore << 0 << QString();
        QTest::newRow("chunk digits so far")
            << kStore + "Transfer-Encoding: chunked\r\n\r\n1f" << A::NeedMore << 0 << QString();
        QTest::newRow("chunk 2^64-1") << kStore + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc"
                                      << A::Refuse << 413
                                      << "a chunk of 18446744073709551615 bytes exceeds the 2097152";
        QTest::newRow("chunk over the limit, line unfinished")
            << kStore + "Transfer-Encoding: chunked\r\n\r\n200001" << A::Refuse << 413
            << "a chunk of at least 2097153 bytes";
        QTest::newRow("chunk of 17 digits") << kStore + "transfer-encoding: CHUNKED\r\n\r\n1ffffffffffffffff\r\n"
                                            << A::Refuse << 413 << "more than 18446744073709551615";
        QTest::newRow("chunk malformed") << kStore + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"
                                         << A::HandOver << 0 << QString();
        // A client waiting for "100 Continue" sends nothing more: handed over at once.
        QTest::newRow("chunked, expects 100") << kStore + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
                                              << A::HandOver << 0 << QString();
        QTest::newRow("other coding") << kStore + "Transfer-Encoding: gzip\r\n\r\nffffffffffffffff\r\n"
                                      << A::HandOver << 0 << QString();
        // A folded line is appended to the header's name by libmicrohttpd: no Content-Length then.
        QTest::newRow("folded length") << kStore + "Content-Length: 99999999999999999999999\r\n x\r\n\r\n"
                                       << A::HandOver << 0 << QString();
        QTest::newRow("head over the limit")
            << kStore + "X-Pad: " + QByteArray(70'000, 'p') << A::HandOver << 0 << QString();
    }

    void verdicts()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(HeadVerdict::Action, action);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const HeadVerdict verdict = judge(bytes);
        QCOMPARE(verdict.action, action);
        QCOMPARE(verdict.refusal.has_value(), action == HeadVerdict::Action::Refuse);
        if (verdict.refusal) {
            QCOMPARE(httpStatus(verdict.refusal->kind), status);
            QVERIFY2(verdict.refusal->message.contains(mentions), qPrintable(verdict.refusal->message));
        }
    }

    void headEndsAfterItsEmptyLine()
    {
        const QByteArray head = kStore + "Content-Length: 2\r\n\r\n";
        QCOMPARE(judge(head + "{}").headBytes, head.size());
        QCOMPARE(judge(kStore).headBytes, 0);
    }

    void headIsReadAsLibmicrohttpdGivesIt()
    {
        const HttpRequest request = parseRequestHead(
            "POST /api/1/st%6Fre/?sentry_key=abc HTTP/1.1\r\nHost: x\r\nUser-Agent:  sentry.python/2.0\r\n\r\n");
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QStringLiteral("/api/1/store/"));
        QCOMPARE(request.query.queryItemValue(QStringLiteral("sentry_key")), QStringLiteral("abc"));
        QCOMPARE(request.header("user-agent"), QByteArray("sentry.python/2.0"));
        QCOMPARE(request.header("Host"), QByteArray("x"));
    }
};

QTEST_GUILESS_MAIN(TestHeadVerdict)
#include "tst_head_verdict.moc"
