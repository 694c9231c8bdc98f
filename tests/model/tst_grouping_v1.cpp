// Strategy v1 is frozen: issues created before v2 are found by these keys, so
// a change in what v1 computes would split every one of them. The hashes were
// taken from the v1 implementation as it shipped, for each captured payload.
#include "model/grouping.h"
#include "model/grouping_v1.h"
#include "support/fixture_events.h"

#include <QCryptographicHash>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

class TestGroupingV1 : public QObject {
    Q_OBJECT

private slots:
    void keysAreThoseV1Gave_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("hash");
        QTest::newRow("browser_exception_store") << "browser_exception_store"
                                                 << "ddd44f3e212a64c680ccaa45bc18aa25a83de661";
        QTest::newRow("browser_message_store") << "browser_message_store"
                                               << "413e5ce6d6ce957965329c2b7f27a25cf7f78084";
        QTest::newRow("django_drf_validation_store") << "django_drf_validation_store"
                                                     << "8a6bc60bce5d248b75f43833de38d3bb5adbbef7";
        QTest::newRow("django_request_store") << "django_request_store"
                                              << "a11c28fb68e7f6acf5323d371a1f54d15537db89";
        QTest::newRow("django_testclient_store") << "django_testclient_store"
                                                 << "e06c353147ed3518741f3bb5cc0ec1fee81df558";
        QTest::newRow("go_exception_store") << "go_exception_store"
                                            << "a311c33b12443c3f15f17e27c9e62ba93ef054ff";
        QTest::newRow("go_message_store") << "go_message_store"
                                          << "413e5ce6d6ce957965329c2b7f27a25cf7f78084";
        QTest::newRow("pydantic_validation_store") << "pydantic_validation_store"
                                                   << "7ef5e61e5fbe930d4b526d6000c7cf8b0a66c8ab";
        QTest::newRow("python_exception_store") << "python_exception_store"
                                                << "8839bbf309d2171524390e5cd6f4d63ca0eee1a4";
        QTest::newRow("python_message_store") << "python_message_store"
                                              << "601567fd91e5a9ed7e7b8536b5f8c441d60e2df7";
        QTest::newRow("python_rich_event_store") << "python_rich_event_store"
                                                 << "0dddf97ead3515eeb114ebe0751909664c8bd914";
        QTest::newRow("python_unhandled_excepthook_store") << "python_unhandled_excepthook_store"
                                                           << "7facb0f5a8096e5afd2f620957eb472ee3e613ef";
        QTest::newRow("raven_go_message_store") << "raven_go_message_store"
                                                << "413e5ce6d6ce957965329c2b7f27a25cf7f78084";
        QTest::newRow("ruby_raven_json_exception_store") << "ruby_raven_json_exception_store"
                                                         << "009d75b4fc5e37605db41d89f88074ae5477e79c";
        QTest::newRow("ruby_raven_json_message_store") << "ruby_raven_json_message_store"
                                                       << "413e5ce6d6ce957965329c2b7f27a25cf7f78084";
        QTest::newRow("attachment_html_envelope") << "attachment_html_envelope"
                                                  << "25cee176c146c2890013a10f3efd07992d0cbbaf";
        QTest::newRow("node_exception_envelope") << "node_exception_envelope"
                                                 << "3f1061d44708bd75e99b688e6fc20472a70481a4";
        QTest::newRow("node_message_envelope") << "node_message_envelope"
                                               << "bebb23a6aa29851ae8320db054add1a69154d16a";
        QTest::newRow("ruby_exception_envelope") << "ruby_exception_envelope"
                                                 << "e4f0c1876bc16616e3a3f05a90d990f27fefd5c6";
        QTest::newRow("ruby_message_envelope") << "ruby_message_envelope"
                                               << "413e5ce6d6ce957965329c2b7f27a25cf7f78084";
    }

    void keysAreThoseV1Gave()
    {
        QFETCH(QString, name);
        QFETCH(QString, hash);
        const Event event = fixtureEvent(name);
        const QString v1 = QString::fromLatin1(QCryptographicHash::hash(
            grouping_v1::components(event).join(QLatin1Char('\n')).toUtf8(), QCryptographicHash::Sha1)
                                                   .toHex());
        QCOMPARE(v1, hash);
        QCOMPARE(groupEvent(event).legacyFingerprint, hash);
    }
};

QTEST_GUILESS_MAIN(TestGroupingV1)
#include "tst_grouping_v1.moc"
