// What an issue takes from its events (model/issue_rollup.h), on captured client
// events: Django's unhandled exception, Node's handled one, a Python event
// with no mechanism at all.
#include "model/event.h"
#include "model/issue_rollup.h"
#include "support/fixture_events.h"

#include <QTest>

using namespace faultline;
using namespace faultline::test;

class TestIssueRollup : public QObject {
    Q_OBJECT

private slots:
    void onlyAnExceptionMarkedNotHandledIsUnhandled()
    {
        QVERIFY(isUnhandled(fixtureEvent(QStringLiteral("django_request_store"))));
        for (const char *handled : { "node_exception_envelope", "python_exception_store" }) {
            const Event event = fixtureEvent(QString::fromLatin1(handled));
            QVERIFY2(!event.exceptions.isEmpty(), handled); // an exception, and one it does not call unhandled
            QVERIFY2(!isUnhandled(event), handled);
        }
    }

    void theMoreSevereLevelStays()
    {
        QCOMPARE(moreSevereLevel(QStringLiteral("warning"), QStringLiteral("error")), QStringLiteral("error"));
        QCOMPARE(moreSevereLevel(QStringLiteral("fatal"), QStringLiteral("info")), QStringLiteral("fatal"));
        QCOMPARE(moreSevereLevel(QStringLiteral("error"), QStringLiteral("error")), QStringLiteral("error"));
        // A level the query language does not know never replaces a known one.
        QCOMPARE(moreSevereLevel(QStringLiteral("info"), QStringLiteral("critical")), QStringLiteral("info"));
    }
};

QTEST_GUILESS_MAIN(TestIssueRollup)
#include "tst_issue_rollup.moc"
