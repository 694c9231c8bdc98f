// normalizeMessageForGrouping: what changes between occurrences of one bug is
// masked; what tells bugs apart stays.
#include "model/message_normalizer.h"

#include <QTest>

using namespace faultline;

class TestMessageNormalizer : public QObject {
    Q_OBJECT

private slots:
    void masks_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("normalized");
        QTest::newRow("numbers") << "user 1234 not found"
                                 << "user <int> not found";
        QTest::newRow("sentence end") << "no order 42."
                                      << "no order <int>.";
        QTest::newRow("float") << "took 3.25 s"
                               << "took <float> s";
        QTest::newRow("negative") << "offset -5 out of range"
                                  << "offset -<int> out of range";
        QTest::newRow("in path") << "GET /users/1234/orders failed"
                                 << "GET /users/<int>/orders failed";
        QTest::newRow("key=value") << "id=77 qty:3"
                                   << "id=<int> qty:<int>";
        QTest::newRow("epoch") << "expired at 1733404500123"
                               << "expired at <int>";
        QTest::newRow("uuid") << "job 550e8400-e29b-41d4-a716-446655440000 died"
                              << "job <uuid> died";
        QTest::newRow("uuid upper") << "job 550E8400-E29B-41D4-A716-446655440000"
                                    << "job <uuid>";
        QTest::newRow("hex id") << "object 507f1f77bcf86cd799439011 missing"
                                << "object <hex> missing";
        QTest::newRow("0x") << "segfault at 0x7ffd5e8c"
                            << "segfault at <hex>";
        QTest::newRow("ipv4") << "connect to 10.0.0.12:5432 refused"
                              << "connect to <ip> refused";
        QTest::newRow("ipv6") << "from fe80::1ff:fe23:4567:890a"
                              << "from <ip>";
        QTest::newRow("email") << "mail to bob.smith+x@example.co.uk bounced"
                               << "mail to <email> bounced";
        QTest::newRow("iso") << "at 2026-12-05T13:15:00.123Z"
                             << "at <timestamp>";
        QTest::newRow("iso offset") << "at 2026-12-05T13:15:00+01:00"
                                    << "at <timestamp>";
        QTest::newRow("date and time") << "at 2026-12-05 13:15:00"
                                       << "at <timestamp> <timestamp>";
        QTest::newRow("quoted") << "key 'user:42' missing"
                                << "key 'user:<int>' missing";
        QTest::newRow("pydantic") << "2 validation errors for Order"
                                  << "<int> validation errors for Order";
    }

    void masks()
    {
        QFETCH(QString, message);
        QFETCH(QString, normalized);
        QCOMPARE(normalizeMessageForGrouping(message), normalized);
    }

    void keeps_data()
    {
        QTest::addColumn<QString>("message");
        QTest::newRow("words with digits") << "utf8 codec cannot decode; use http2 or v2 api, sha256";
        QTest::newRow("units") << "timeout after 30s, 10ms budget";
        QTest::newRow("hex-looking words") << "deadbeef cafe facade";
        QTest::newRow("plain") << "payment retry exhausted";
        QTest::newRow("unicode") << "Zahlung für Bestellung fehlgeschlagen";
        QTest::newRow("empty") << "";
    }

    void keeps()
    {
        QFETCH(QString, message);
        QCOMPARE(normalizeMessageForGrouping(message), message);
    }

    // Shapes that make backtracking patterns slow come out right (the scanner
    // looks at each character a bounded number of times; speed is for bench/).
    void pathologicalInputs()
    {
        const QString dots = QString(20000, QLatin1Char('1')) + QString(20000, QLatin1Char('.'));
        QCOMPARE(normalizeMessageForGrouping(dots), QStringLiteral("<int>") + QString(20000, QLatin1Char('.')));
        QString atSigns;
        for (int i = 0; i < 5000; ++i)
            atSigns += QStringLiteral("a@");
        QCOMPARE(normalizeMessageForGrouping(atSigns), atSigns);
        QString colons;
        for (int i = 0; i < 5000; ++i)
            colons += QStringLiteral("1:");
        QVERIFY(!normalizeMessageForGrouping(colons).contains(QLatin1Char('1')));
    }
};

QTEST_GUILESS_MAIN(TestMessageNormalizer)
#include "tst_message_normalizer.moc"
