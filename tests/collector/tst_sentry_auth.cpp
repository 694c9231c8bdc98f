// Where each captured client puts its public key (collector/sentry_auth.h): the
// X-Sentry-Auth header, the sentry_key query parameter, or a DSN, and what is not a key.
#include "collector/sentry_auth.h"
#include "support/fixtures.h"

#include <QTest>

using namespace faultline;
using namespace faultline::test;

class TestSentryAuth : public QObject {
    Q_OBJECT

private slots:
    void everyCapturedClientIsFound_data()
    {
        QTest::addColumn<QString>("fixture");
        for (const QString &name : fixtureNames())
            QTest::newRow(qPrintable(name)) << name;
    }

    void everyCapturedClientIsFound()
    {
        QFETCH(QString, fixture);
        const QJsonObject meta = fixtureMeta(fixture);
        HttpRequest request;
        request.method = meta.value(QStringLiteral("method")).toString().toLatin1();
        request.path = meta.value(QStringLiteral("path")).toString();
        request.query = QUrlQuery(meta.value(QStringLiteral("query")).toString());
        request.headers = fixtureHeaders(fixture);
        // Each was captured from a client given this DSN key (see the .meta.json files).
        QCOMPARE(sentryKeyFromRequest(request), QStringLiteral("publickey123"));
    }

    void authHeaders_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("key");
        QTest::newRow("python") << QByteArray(
            "Sentry sentry_key=abc, sentry_version=7, sentry_client=sentry.python/1.9.10")
                                << "abc";
        QTest::newRow("go, key last") << QByteArray("Sentry sentry_version=7, sentry_timestamp=1, sentry_key=abc")
                                      << "abc";
        QTest::newRow("any case, spaces") << QByteArray("  SENTRY sentry_key = abc ,sentry_version=7") << "abc";
        QTest::newRow("no key") << QByteArray("Sentry sentry_version=7") << "";
        QTest::newRow("empty key") << QByteArray("Sentry sentry_key=, sentry_version=7") << "";
        QTest::newRow("another scheme") << QByteArray("Bearer sentry_key=abc") << "";
        QTest::newRow("a key named like it") << QByteArray("Sentry not_sentry_key=abc") << "";
        QTest::newRow("nothing") << QByteArray() << "";
    }

    void authHeaders()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, key);
        QCOMPARE(sentryKeyFromAuthHeader(header), key);
    }

    void headerBeforeAuthorizationBeforeQuery()
    {
        HttpRequest request;
        request.query = QUrlQuery(QStringLiteral("sentry_key=fromquery"));
        QCOMPARE(sentryKeyFromRequest(request), QStringLiteral("fromquery"));
        request.headers.append(
            qMakePair(QByteArray("Authorization"), QByteArray("Sentry sentry_key=fromauthorization")));
        QCOMPARE(sentryKeyFromRequest(request), QStringLiteral("fromauthorization"));
        request.headers.append(qMakePair(QByteArray("x-sentry-auth"), QByteArray("Sentry sentry_key=fromheader")));
        QCOMPARE(sentryKeyFromRequest(request), QStringLiteral("fromheader"));
    }

    void dsns()
    {
        QString project;
        QCOMPARE(sentryKeyFromDsn(QStringLiteral("http://abc@127.0.0.1:8990/42"), &project), QStringLiteral("abc"));
        QCOMPARE(project, QStringLiteral("42"));
        QCOMPARE(sentryKeyFromDsn(QStringLiteral("https://abc:secret@o1.ingest.sentry.io/7")), QStringLiteral("abc"));
        QCOMPARE(sentryKeyFromDsn(QStringLiteral("http://127.0.0.1:8990/42")), QString());
        QCOMPARE(sentryKeyFromDsn(QStringLiteral("http://[bad")), QString());
    }
};

QTEST_GUILESS_MAIN(TestSentryAuth)
#include "tst_sentry_auth.moc"
