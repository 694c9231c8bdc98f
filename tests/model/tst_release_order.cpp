// Release names ordered as people number them, for "resolve in next release".
#include "model/release_order.h"

#include <QTest>

using namespace faultline;

class TestReleaseOrder : public QObject {
    Q_OBJECT

private slots:
    void ordering_data()
    {
        QTest::addColumn<QString>("older");
        QTest::addColumn<QString>("newer");
        QTest::newRow("numbers, not text") << "1.9.2"
                                           << "1.10.0";
        QTest::newRow("package prefix") << "api@1.9"
                                        << "api@2.0";
        QTest::newRow("more parts") << "1.2"
                                    << "1.2.1";
        QTest::newRow("pre-release first") << "1.2.0-rc1"
                                           << "1.2.0";
        QTest::newRow("pre-releases") << "1.2.0-rc2"
                                      << "1.2.0-rc10";
        QTest::newRow("build metadata ignored, then text") << "2.0.0+a"
                                                           << "2.0.0+b";
        QTest::newRow("leading zeros") << "2024.01.9"
                                       << "2024.1.10";
        QTest::newRow("dates") << "2024-05-01"
                               << "2024-06-01";
    }
    void ordering()
    {
        QFETCH(QString, older);
        QFETCH(QString, newer);
        QVERIFY(compareReleases(older, newer) < 0);
        QVERIFY(compareReleases(newer, older) > 0);
        QCOMPARE(compareReleases(newer, newer), 0);
    }
};

QTEST_GUILESS_MAIN(TestReleaseOrder)
#include "tst_release_order.moc"
