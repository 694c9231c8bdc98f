// The collector's small units that the HTTP tests only reach indirectly:
// where a client puts its key, how a request's headers and peer read, and what
// of a request may reach the log.
#include "collector/http_types.h"
#include "collector/rejection_log.h"
#include "collector/sentry_auth.h"

#include <QTest>

using namespace faultline;

namespace {

HttpRequest requestWith(QList<QPair<QByteArray, QByteArray>> headers, const QString &query = {})
{
    HttpRequest request;
    request.method = "POST";
    request.path = QStringLiteral("/api/1/store/");
    request.headers = std::move(headers);
    request.query = QUrlQuery(query);
    return request;
}

} // namespace

class TestCollectorUnits : public QObject {
    Q_OBJECT
private slots:
    void keyFromAuthHeader_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("key");
        // As sentry-python, raven-python and raven-js send it, and what is not a key.
        QTest::newRow("sdk") << QByteArray(
            "Sentry sentry_version=7, sentry_client=sentry.python/2.0, sentry_key=abc123")
                             << QStringLiteral("abc123");
        QTest::newRow("spaces") << QByteArray("  sentry  sentry_key = k1 ,sentry_version=7") << QStringLiteral("k1");
        QTest::newRow("case") << QByteArray("SENTRY sentry_key=k2") << QStringLiteral("k2");
        QTest::newRow("no key") << QByteArray("Sentry sentry_version=7") << QString();
        QTest::newRow("bearer") << QByteArray("Bearer sentry_key=k3") << QString();
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("key-like name") << QByteArray("Sentry sentry_keys=k4") << QString();
    }

    void keyFromAuthHeader()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, key);
        QCOMPARE(sentryKeyFromAuthHeader(header), key);
    }

    void keyFromRequestInOrder()
    {
        // X-Sentry-Auth first, then Authorization, then the query string.
        QCOMPARE(sentryKeyFromRequest(requestWith(
                     { { "x-sentry-auth", "Sentry sentry_key=a" }, { "Authorization", "Sentry sentry_key=b" } },
                     QStringLiteral("sentry_key=c"))),
            QStringLiteral("a"));
        QCOMPARE(sentryKeyFromRequest(
                     requestWith({ { "Authorization", "Sentry sentry_key=b" } }, QStringLiteral("sentry_key=c"))),
            QStringLiteral("b"));
        QCOMPARE(sentryKeyFromRequest(requestWith({}, QStringLiteral("sentry_version=7&sentry_key=c"))),
            QStringLiteral("c"));
        QCOMPARE(sentryKeyFromRequest(requestWith({})), QString());
    }

    void keyFromDsn()
    {
        QString project;
        QCOMPARE(sentryKeyFromDsn(QStringLiteral("http://abc@127.0.0.1:8990/42"), &project), QStringLiteral("abc"));
        QCOMPARE(project, QStringLiteral("42"));
        QCOMPARE(
            sentryKeyFromDsn(QStringLiteral("https://pub:secret@example.com/path/7"), &project), QStringLiteral("pub"));
        QCOMPARE(project, QStringLiteral("7"));
        QCOMPARE(sentryKeyFromDsn(QStringLiteral("http://127.0.0.1:8990/42")), QString());
        QCOMPARE(sentryKeyFromDsn(QStringLiteral("http://[::1")), QString());
    }

    void headersJoinCaseInsensitively()
    {
        const HttpRequest request
            = requestWith({ { "Accept", "a" }, { "accept", "b" }, { "Content-Type", "application/json" } });
        QCOMPARE(request.header("ACCEPT"), QByteArray("a, b"));
        QCOMPARE(request.header("content-type"), QByteArray("application/json"));
        QCOMPARE(request.header("X-Missing"), QByteArray());
    }

    void peerAddressWithoutPort()
    {
        HttpRequest request;
        request.peer = QStringLiteral("192.0.2.7:51234");
        QCOMPARE(request.peerAddress(), QStringLiteral("192.0.2.7"));
        request.peer = QStringLiteral("::1:51234");
        QCOMPARE(request.peerAddress(), QStringLiteral("::1"));
        request.peer = QStringLiteral("?");
        QCOMPARE(request.peerAddress(), QString());
        request.peer = QStringLiteral("not-an-ip:80");
        QCOMPARE(request.peerAddress(), QString());
    }

    void loggableEscapesAndCuts()
    {
        // A path cannot forge a log line or reach the terminal.
        const QString forged = RejectionLog::loggable(QStringLiteral("/x\ncollector: accepted\x1b[2J"));
        QVERIFY(!forged.contains(QLatin1Char('\n')));
        QVERIFY(!forged.contains(QChar(0x1b)));
        QVERIFY(forged.contains(QLatin1String("\\x0a"), Qt::CaseInsensitive));
        QVERIFY(
            RejectionLog::loggable(QStringLiteral("C:\\temp")).contains(QLatin1String("\\x5c"), Qt::CaseInsensitive));
        QVERIFY(RejectionLog::loggable(QString(5000, QLatin1Char('a')), 200).size() <= 220);
        QCOMPARE(RejectionLog::loggable(QStringLiteral("/api/1/store/")), QStringLiteral("/api/1/store/"));
    }
};

QTEST_APPLESS_MAIN(TestCollectorUnits)
#include "tst_collector_units.moc"
