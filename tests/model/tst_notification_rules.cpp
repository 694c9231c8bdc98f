// Issue 17: desktop notification rules. Info and debug issues never notify by
// default; a project's own rule (minimum level, environments, kinds of news)
// replaces the rule for every project; the rules survive being stored.
#include "model/notification_rules.h"

#include <QTest>

using namespace faultline;

namespace {

AlertIssue issueAt(
    const QString &level, qint64 projectId = 1, const QString &environment = QStringLiteral("production"))
{
    AlertIssue issue;
    issue.issueId = 7;
    issue.projectId = projectId;
    issue.level = level;
    issue.environment = environment;
    issue.title = QStringLiteral("KeyError: 'user'");
    return issue;
}

} // namespace

class TestNotificationRules : public QObject {
    Q_OBJECT

private slots:
    void infoAndDebugNeverNotifyByDefault()
    {
        const NotificationRules defaults;
        for (const AlertTrigger trigger :
            { AlertTrigger::NewIssue, AlertTrigger::Regression, AlertTrigger::Escalation }) {
            QVERIFY(!defaults.wants(issueAt(QStringLiteral("debug")), trigger));
            QVERIFY(!defaults.wants(issueAt(QStringLiteral("info")), trigger));
            QVERIFY(defaults.wants(issueAt(QStringLiteral("warning")), trigger));
            QVERIFY(defaults.wants(issueAt(QStringLiteral("error")), trigger));
            QVERIFY(defaults.wants(issueAt(QStringLiteral("fatal")), trigger));
        }
        QVERIFY(defaults.wants(issueAt(QStringLiteral("critical-ish")), AlertTrigger::NewIssue)); // unknown = error
    }

    void aProjectsOwnRuleReplacesTheRuleForAll()
    {
        NotificationRules rules;
        NotificationRule everyProject;
        everyProject.minLevel = QStringLiteral("error");
        rules.setRule(everyProject);
        NotificationRule shop;
        shop.projectId = 2;
        shop.minLevel = QStringLiteral("info");
        shop.environments = { QStringLiteral("production") };
        shop.onRegression = false;
        rules.setRule(shop);

        QVERIFY(!rules.wants(issueAt(QStringLiteral("warning"), 1), AlertTrigger::NewIssue));
        QVERIFY(rules.wants(issueAt(QStringLiteral("error"), 1), AlertTrigger::Regression));
        QVERIFY(rules.wants(issueAt(QStringLiteral("info"), 2), AlertTrigger::NewIssue));
        QVERIFY(!rules.wants(issueAt(QStringLiteral("debug"), 2), AlertTrigger::NewIssue));
        QVERIFY(!rules.wants(issueAt(QStringLiteral("error"), 2), AlertTrigger::Regression));
        QVERIFY(rules.wants(issueAt(QStringLiteral("error"), 2), AlertTrigger::Escalation));
        QVERIFY(!rules.wants(issueAt(QStringLiteral("error"), 2, QStringLiteral("staging")), AlertTrigger::NewIssue));

        rules.removeRule(2); // back to the rule for all
        QVERIFY(!rules.wants(issueAt(QStringLiteral("info"), 2), AlertTrigger::NewIssue));
        QVERIFY(rules.wants(issueAt(QStringLiteral("error"), 2, QStringLiteral("staging")), AlertTrigger::Regression));
    }

    void aDisabledRuleIsSilent()
    {
        NotificationRule off;
        off.projectId = 3;
        off.enabled = false;
        const NotificationRules rules({ off });
        QVERIFY(!rules.wants(issueAt(QStringLiteral("fatal"), 3), AlertTrigger::NewIssue));
        QVERIFY(rules.wants(issueAt(QStringLiteral("fatal"), 4), AlertTrigger::NewIssue));
    }

    void storedRulesReadBack()
    {
        NotificationRule shop;
        shop.projectId = 2;
        shop.minLevel = QStringLiteral("fatal");
        shop.environments = { QStringLiteral("production"), QStringLiteral("eu") };
        shop.onNewIssue = false;
        NotificationRule everyProject;
        everyProject.onEscalation = false;
        const NotificationRules rules({ everyProject, shop });
        QCOMPARE(NotificationRules::fromJson(rules.toJson()), rules);
        QCOMPARE(NotificationRules::fromJson(QString()), NotificationRules());
        QCOMPARE(NotificationRules::fromJson(QStringLiteral("not json")), NotificationRules());
        // A level nobody knows falls back to the default, not to "notify about everything".
        const NotificationRules odd
            = NotificationRules::fromJson(QStringLiteral("[{\"project_id\":0,\"min_level\":\"loud\"}]"));
        QCOMPARE(odd.ruleFor(0).minLevel, QStringLiteral("warning"));
    }
};

QTEST_GUILESS_MAIN(TestNotificationRules)
#include "tst_notification_rules.moc"
