// "Copy as curl" and the replay URL, from captured Django requests after
// Faultline's own scrubbing (as they are stored).
#include "model/request_export.h"
#include "model/scrub.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace faultline;

namespace {

QJsonObject storedRequest(const QString &fixture)
{
    QJsonObject event = QJsonDocument::fromJson(test::readFixture(fixture)).object();
    scrubSecrets(event);
    return event.value(QLatin1String("request")).toObject();
}

} // namespace

class TestRequestExport : public QObject {
    Q_OBJECT
private slots:
    void getWithQueryAndScrubbedHeaders()
    {
        const HttpRequestSpec spec = requestSpecFromEvent(storedRequest(QStringLiteral("django_request_store.json")));
        QCOMPARE(spec.method, QStringLiteral("GET"));
        QCOMPARE(spec.url, QStringLiteral("http://testserver/boom/?q=1&x=abc"));
        const QString curl = curlCommand(spec);
        QCOMPARE(curl,
            QStringLiteral("# [Filtered] marks values scrubbed before the event was stored: header Authorization, "
                           "header Cookie\n"
                           "# Put the real values in before running this.\n"
                           "curl 'http://testserver/boom/?q=1&x=abc' \\\n"
                           "  -H 'Authorization: [Filtered]' \\\n"
                           "  -H 'Cookie: [Filtered]' \\\n"
                           "  -H 'User-Agent: TestAgent/1.0'"));
        // The secret never reaches the clipboard; Host and Content-Length are curl's business.
        QVERIFY(!curl.contains(QLatin1String("secret-token")));
        QVERIFY(!curl.contains(QLatin1String("Host:")));
        QVERIFY(!curl.contains(QLatin1String("Content-Length")));
    }

    void postWithJsonBody()
    {
        const HttpRequestSpec spec
            = requestSpecFromEvent(storedRequest(QStringLiteral("django_drf_validation_store.json")));
        QCOMPARE(spec.method, QStringLiteral("POST"));
        QCOMPARE(spec.body, QByteArray(R"({"quantity":0})"));
        QVERIFY(!spec.bodyScrubbed);
        const QString curl = curlCommand(spec);
        QVERIFY(curl.contains(QLatin1String("curl -X POST 'http://testserver/api/explicit/'")));
        QVERIFY(curl.contains(QLatin1String("-H 'Content-Type: application/json'")));
        QVERIFY(curl.endsWith(QLatin1String(R"(--data-raw '{"quantity":0}')")));
    }

    void quotesForTheShell()
    {
        QJsonObject request;
        request.insert(QStringLiteral("method"), QStringLiteral("post"));
        request.insert(QStringLiteral("url"), QStringLiteral("http://x/a"));
        request.insert(QStringLiteral("data"), QStringLiteral("it's $(rm -rf ~)"));
        request.insert(
            QStringLiteral("headers"), QJsonArray { QJsonArray { QStringLiteral("X-Note"), QStringLiteral("a'b") } });
        const QString curl = curlCommand(requestSpecFromEvent(request));
        QCOMPARE(curl,
            QStringLiteral(
                "curl -X POST 'http://x/a' \\\n  -H 'X-Note: a'\\''b' \\\n  --data-raw 'it'\\''s $(rm -rf ~)'"));
    }

    void marksScrubbedBodyFieldsAndCookies()
    {
        QJsonObject request;
        request.insert(QStringLiteral("method"), QStringLiteral("POST"));
        request.insert(QStringLiteral("url"), QStringLiteral("http://x/login"));
        request.insert(QStringLiteral("headers"),
            QJsonObject { { QStringLiteral("Content-Type"), QStringLiteral("application/x-www-form-urlencoded") } });
        request.insert(QStringLiteral("cookies"),
            QJsonObject { { QStringLiteral("csrftoken"), QStringLiteral("[Filtered]") },
                { QStringLiteral("theme"), QStringLiteral("dark") } });
        request.insert(QStringLiteral("data"),
            QJsonObject { { QStringLiteral("user"), QStringLiteral("ann") },
                { QStringLiteral("password"), QStringLiteral("[Filtered]") } });
        const HttpRequestSpec spec = requestSpecFromEvent(request);
        QVERIFY(spec.bodyScrubbed);
        QCOMPARE(spec.scrubbedParts,
            (QStringList { QStringLiteral("cookie csrftoken"), QStringLiteral("body field password") }));
        QCOMPARE(spec.body, QByteArray("password=%5BFiltered%5D&user=ann"));
        QVERIFY(curlCommand(spec).contains(QLatin1String("-H 'Cookie: csrftoken=[Filtered]; theme=dark'")));
    }

    void replayGoesOnlyToTheTypedHost()
    {
        QCOMPARE(replayUrl(QStringLiteral("http://127.0.0.1:8000"),
                     QStringLiteral("https://shop.example.com/api/orders?id=7")),
            QUrl(QStringLiteral("http://127.0.0.1:8000/api/orders?id=7")));
        QCOMPARE(replayUrl(QStringLiteral("http://localhost:8000/prefix/"), QStringLiteral("http://testserver/boom/")),
            QUrl(QStringLiteral("http://localhost:8000/prefix/boom/")));
        // A path that looks like an authority must not change the host.
        QCOMPARE(replayUrl(QStringLiteral("http://127.0.0.1:8000"), QStringLiteral("http://x//evil.example/a")).host(),
            QStringLiteral("127.0.0.1"));
        QVERIFY(!replayUrl(QString(), QStringLiteral("http://testserver/")).isValid());
        QVERIFY(!replayUrl(QStringLiteral("ftp://host/"), QStringLiteral("http://testserver/")).isValid());
        QVERIFY(!replayUrl(QStringLiteral("localhost:8000"), QStringLiteral("http://testserver/")).isValid());
    }
};

QTEST_GUILESS_MAIN(TestRequestExport)
#include "tst_request_export.moc"
