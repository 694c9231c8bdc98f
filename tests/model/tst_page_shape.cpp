// Page shapes: renderings of one template that differ only in per-request
// values share a shape; pages that say something else do not.
#include "model/page_shape.h"

#include "support/example_pages.h"

#include <QTest>

using namespace faultline;
using faultline::test::exampleServicePage;

class TestPageShape : public QObject {
    Q_OBJECT

private slots:
    void renderingsOfOneTemplateShareAShape()
    {
        const QByteArray first
            = exampleServicePage(QStringLiteral("500.html"), QStringLiteral("7c1e0f9a2b4d4e6f8a0b1c2d3e4f5a6b"),
                QStringLiteral("/reports/average"), QStringLiteral("2026-11-25 22:42:36 UTC"));
        const QByteArray second
            = exampleServicePage(QStringLiteral("500.html"), QStringLiteral("0d3b9e11c5a84f02b7e6a9c1d2f3e4a5"),
                QStringLiteral("/reports/average"), QStringLiteral("2026-12-05 09:03:07 UTC"));
        QVERIFY(!first.isEmpty());
        QVERIFY(first != second);
        QCOMPARE(pageShape(first), pageShape(second));
        QCOMPARE(pageShapeHash(first), pageShapeHash(second));
        QCOMPARE(pageShapeHash(first).size(), 64);
        // What the page says stays: another path or another text is another page.
        QVERIFY(pageShape(first).contains("Something went wrong on our side"));
        QVERIFY(pageShape(first).contains("/reports/average"));
        const QByteArray otherPath
            = exampleServicePage(QStringLiteral("500.html"), QStringLiteral("7c1e0f9a2b4d4e6f8a0b1c2d3e4f5a6b"),
                QStringLiteral("/orders/export"), QStringLiteral("2026-11-25 22:42:36 UTC"));
        QVERIFY(pageShapeHash(otherPath) != pageShapeHash(first));
    }

    void perRequestValuesAreMasked_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::newRow("uuid") << QByteArray("<dd>id 7c1e0f9a-2b4d-4e6f-8a0b-1c2d3e4f5a6b</dd>")
                              << QByteArray("<dd>id 0d3b9e11-c5a8-4f02-b7e6-a9c1d2f3e4a5</dd>");
        QTest::newRow("prefixed hex id") << QByteArray("request req-3f9a1c2b4d5e6f70 failed")
                                         << QByteArray("request req-a1b2c3d4e5f60718 failed");
        QTest::newRow("django csrf token")
            << QByteArray(
                   R"(<input type="hidden" name="csrfmiddlewaretoken" value="Zq3kLwYp9T2mXr8VbN1sJc4HdQ6fGu0aEoRi5tKy7WlPxS3nMzB2vCh8UgDj4Ae">)")
            << QByteArray(
                   R"(<input type="hidden" name="csrfmiddlewaretoken" value="pR7sT2uV9wX4yZ1aB6cD3eF8gH5iJ0kL2mN7oP4qR9sT1uV6wX3yZ8aB5cD0eF2g">)");
        QTest::newRow("csp nonce") << QByteArray(R"(<script nonce="r4Nd0mBase64+Str/9kQ==">)")
                                   << QByteArray(R"(<script nonce="X7yZ2abCdeF9+gHij/KL0w==">)");
        QTest::newRow("timestamps") << QByteArray("at 2026-11-25T22:42:36.123Z (1764110556)")
                                    << QByteArray("at 2026-12-01T03:04:05.006Z (1764558245)");
        QTest::newRow("whitespace") << QByteArray("<p>\n    Sorry,\t\tthe  page\r\n</p>")
                                    << QByteArray("<p> Sorry, the page </p>");
        QTest::newRow("numbers in paths")
            << QByteArray("GET /api/v1/orders/12345") << QByteArray("GET /api/v1/orders/987");
    }
    void perRequestValuesAreMasked()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QCOMPARE(pageShape(a), pageShape(b));
    }

    void wordsAndMarkupAreKept()
    {
        QCOMPARE(pageShape("<h1>502 Bad Gateway</h1>"), QByteArray("<h<n>><n> Bad Gateway</h<n>>"));
        QCOMPARE(pageShape("deadbeef is a word; /reports/average"), QByteArray("deadbeef is a word; /reports/average"));
        QCOMPARE(pageShape("  "), QByteArray(" "));
        QCOMPARE(pageShape(""), QByteArray(""));
        QVERIFY(pageShape("<h1>Not Found</h1>") != pageShape("<h1>Forbidden</h1>"));
        // Non-ASCII text passes through byte for byte.
        QCOMPARE(pageShape("Fehler – Seite nicht verfügbar"), QByteArray("Fehler – Seite nicht verfügbar"));
    }

    void longRunsAreOnePass()
    {
        // A megabyte without a separator is one run: masked whole, not rescanned per position.
        const QByteArray run = QByteArray(1 << 20, 'a') + "9Z";
        QCOMPARE(pageShape(run), QByteArray("<id>"));
        const QByteArray pieces = QByteArray("a-").repeated(1 << 18);
        QCOMPARE(pageShape(pieces), pieces);
    }
};

QTEST_GUILESS_MAIN(TestPageShape)
#include "tst_page_shape.moc"
