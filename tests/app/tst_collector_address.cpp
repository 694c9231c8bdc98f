// One parser for the collector's address (issue 16, finding 4): what `--listen`
// and the stored setting accept is what the settings dialog accepts.
#include "model/collector_address.h"

#include <QTest>

using namespace faultline;

class TestCollectorAddress : public QObject {
    Q_OBJECT

private slots:
    void accepted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("IPv4") << "127.0.0.1:8990"
                              << "127.0.0.1" << 8990;
        QTest::newRow("every interface") << "0.0.0.0:9000"
                                         << "0.0.0.0" << 9000;
        QTest::newRow("localhost") << "localhost:8990"
                                   << "127.0.0.1" << 8990;
        QTest::newRow("IPv6 in brackets") << "[::1]:8990"
                                          << "::1" << 8990;
        QTest::newRow("any free port") << "127.0.0.1:0"
                                       << "127.0.0.1" << 0;
        QTest::newRow("spaces around") << "  127.0.0.1:8991 "
                                       << "127.0.0.1" << 8991;
    }

    void accepted()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(int, port);
        QString problem;
        const std::optional<CollectorAddress> address = parseCollectorAddress(text, &problem);
        QVERIFY2(address, qPrintable(problem));
        QCOMPARE(address->host, host);
        QCOMPARE(int(address->port), port);
    }

    void refusedWithAReason_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        // The dialog once accepted a host name that the next start refused with exit code 2.
        QTest::newRow("host name") << "myhost:8990"
                                   << "'myhost' is not an IP address";
        QTest::newRow("no port") << "127.0.0.1"
                                 << "host:port";
        QTest::newRow("port too large") << "127.0.0.1:70000"
                                        << "'70000' is not a port number";
        QTest::newRow("port not a number") << "127.0.0.1:http"
                                           << "'http' is not a port number";
        QTest::newRow("bad IPv4") << "256.1.1.1:8990"
                                  << "not an IP address";
        QTest::newRow("only a port") << ":8990"
                                     << "host:port";
    }

    void refusedWithAReason()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString problem;
        QVERIFY(!parseCollectorAddress(text, &problem));
        QVERIFY2(problem.contains(reason), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TestCollectorAddress)
#include "tst_collector_address.moc"
