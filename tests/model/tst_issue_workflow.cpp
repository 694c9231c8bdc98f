// The workflow decision both storage backends share (model/issue_workflow.h):
// each condition of storage/issue_status.h, at and around its boundary.
#include "model/issue_workflow.h"

#include <QTest>

using namespace faultline;

namespace {

IssueWorkflow issue(const QString &status, const QString &substatus)
{
    IssueWorkflow workflow;
    workflow.status = status;
    workflow.substatus = substatus;
    return workflow;
}

CountLastHour counting(qint64 earlier, int *asked = nullptr)
{
    return [earlier, asked]() -> std::optional<qint64> {
        if (asked)
            ++*asked;
        return earlier;
    };
}

} // namespace

class TestIssueWorkflow : public QObject {
    Q_OBJECT

private slots:
    void unresolvedStaysAsItIs()
    {
        IssueWorkflow open = issue(QStringLiteral("unresolved"), {});
        QCOMPARE(judgeArrival(open, QStringLiteral("2.0"), 1000, 0, counting(0)), WorkflowChange::None);
        QVERIFY(!open.statusChanged);
    }

    void resolvedRegressesOnAnyEvent()
    {
        IssueWorkflow resolved = issue(QStringLiteral("resolved"), {});
        QCOMPARE(judgeArrival(resolved, {}, 1000, 0, counting(0)), WorkflowChange::Regressed);
        QCOMPARE(resolved.status, QStringLiteral("unresolved"));
        QVERIFY(resolved.regressed);
        QVERIFY(resolved.statusChanged);
    }

    void nextReleaseWaitsForANewerRelease_data()
    {
        QTest::addColumn<QString>("release");
        QTest::addColumn<bool>("regresses");
        QTest::newRow("no release") << QString() << false;
        QTest::newRow("older") << QStringLiteral("1.2.2") << false;
        QTest::newRow("the same") << QStringLiteral("1.2.3") << false;
        QTest::newRow("newer") << QStringLiteral("1.2.10") << true;
    }
    void nextReleaseWaitsForANewerRelease()
    {
        QFETCH(QString, release);
        QFETCH(bool, regresses);
        IssueWorkflow resolved = issue(QStringLiteral("resolved"), QStringLiteral("next_release"));
        resolved.resolvedAfterRelease = QStringLiteral("1.2.3");
        const auto change = judgeArrival(resolved, release, 1000, 0, counting(0));
        QCOMPARE(change, regresses ? WorkflowChange::Regressed : WorkflowChange::None);
        QCOMPARE(resolved.status, regresses ? QStringLiteral("unresolved") : QStringLiteral("resolved"));
    }

    void ignoredForAWhileEndsWithTheTime()
    {
        IssueWorkflow ignored = issue(QStringLiteral("ignored"), QStringLiteral("for"));
        ignored.ignoreUntilMs = 5000;
        QCOMPARE(judgeArrival(ignored, {}, 4999, 0, counting(0)), WorkflowChange::None);
        QCOMPARE(judgeArrival(ignored, {}, 5000, 1, counting(0)), WorkflowChange::Reopened);
        QCOMPARE(ignored.status, QStringLiteral("unresolved"));
        QVERIFY(ignored.substatus.isEmpty());
        QVERIFY(!ignored.regressed);
    }

    void ignoredUntilEventsCountsTheBatch()
    {
        IssueWorkflow ignored = issue(QStringLiteral("ignored"), QStringLiteral("until_events"));
        ignored.storedCount = 7;
        ignored.ignoreUntilCount = 10; // 7 stored + 3 more
        QCOMPARE(judgeArrival(ignored, {}, 1000, 0, counting(0)), WorkflowChange::None); // the 8th
        QCOMPARE(judgeArrival(ignored, {}, 1000, 1, counting(0)), WorkflowChange::None); // the 9th
        QCOMPARE(judgeArrival(ignored, {}, 1000, 2, counting(0)), WorkflowChange::Reopened); // the 10th
    }

    void escalatesAboveTheBaseline()
    {
        IssueWorkflow ignored = issue(QStringLiteral("ignored"), QStringLiteral("until_escalating"));
        ignored.ignoreBaseline = 4;
        QCOMPARE(judgeArrival(ignored, {}, 1000, 0, counting(3)), WorkflowChange::None); // 4 in the hour
        QCOMPARE(judgeArrival(ignored, {}, 1000, 0, counting(4)), WorkflowChange::Escalated); // 5
        QCOMPARE(ignored.substatus, QStringLiteral("escalating"));
        QCOMPARE(ignored.status, QStringLiteral("unresolved"));
    }

    void countsOnlyWhenEscalationIsAsked()
    {
        int asked = 0;
        IssueWorkflow ignored = issue(QStringLiteral("ignored"), QStringLiteral("forever"));
        QCOMPARE(judgeArrival(ignored, {}, 1000, 0, counting(100, &asked)), WorkflowChange::None);
        QCOMPARE(asked, 0);
    }

    void aFailedCountIsNoDecision()
    {
        IssueWorkflow ignored = issue(QStringLiteral("ignored"), QStringLiteral("until_escalating"));
        QVERIFY(!judgeArrival(ignored, {}, 1000, 0, [] { return std::optional<qint64>(); }));
        QCOMPARE(ignored.status, QStringLiteral("ignored"));
    }
};

QTEST_GUILESS_MAIN(TestIssueWorkflow)
#include "tst_issue_workflow.moc"
