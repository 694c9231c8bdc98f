// Which issues a rule fires on, and the bodies Slack, Discord and plain-JSON
// receivers get.
#include "model/alert_rules.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace faultline;

namespace {

AlertIssue issue(
    const QString &level = QStringLiteral("error"), const QString &environment = QStringLiteral("production"))
{
    return AlertIssue { 7, 1, QStringLiteral("shop"), QStringLiteral("KeyError: 'sku'"),
        QStringLiteral("shop.views in checkout"), level, environment, QStringLiteral("shop@1.4.0"), 12,
        1'760'000'000'000, 1'760'000'600'000, 0 };
}

AlertRule rule()
{
    AlertRule rule;
    rule.target = QStringLiteral("https://example.com/hook");
    return rule;
}

} // namespace

class TestAlertRules : public QObject {
    Q_OBJECT
private slots:
    void triggersLevelsAndEnvironments()
    {
        AlertRule r = rule();
        QVERIFY(ruleMatches(r, issue(), AlertTrigger::NewIssue));
        QVERIFY(ruleMatches(r, issue(), AlertTrigger::Regression));
        QVERIFY(!ruleMatches(r, issue(), AlertTrigger::Escalation)); // off by default
        QVERIFY(!ruleMatches(r, issue(QStringLiteral("warning")), AlertTrigger::NewIssue));
        QVERIFY(ruleMatches(r, issue(QStringLiteral("fatal")), AlertTrigger::NewIssue));
        QVERIFY(ruleMatches(r, issue(QStringLiteral("critical-ish")), AlertTrigger::NewIssue)); // unknown = error
        r.environment = QStringLiteral("staging");
        QVERIFY(!ruleMatches(r, issue(), AlertTrigger::NewIssue));
        QVERIFY(ruleMatches(r, issue(QStringLiteral("error"), QStringLiteral("staging")), AlertTrigger::NewIssue));
        r.enabled = false;
        QVERIFY(!ruleMatches(r, issue(QStringLiteral("error"), QStringLiteral("staging")), AlertTrigger::NewIssue));
    }

    // What the engine asks before it reads any issue: the rule alone.
    void couldFireAsksTheRuleAlone()
    {
        AlertRule r = rule();
        QVERIFY(couldFire(r, AlertTrigger::NewIssue));
        QVERIFY(couldFire(r, AlertTrigger::Regression));
        QVERIFY(!couldFire(r, AlertTrigger::Escalation));
        r.onEscalation = true;
        r.onNewIssue = false;
        QVERIFY(couldFire(r, AlertTrigger::Escalation));
        QVERIFY(!couldFire(r, AlertTrigger::NewIssue));
        r.target = QStringLiteral("  ");
        QVERIFY(!couldFire(r, AlertTrigger::Escalation));
        r = rule();
        r.enabled = false;
        QVERIFY(!couldFire(r, AlertTrigger::NewIssue));
    }

    void escalationNeedsTheThreshold()
    {
        AlertRule r = rule();
        r.onEscalation = true;
        r.escalationEvents = 50;
        AlertIssue busy = issue();
        busy.recentEvents = 49;
        QVERIFY(!ruleMatches(r, busy, AlertTrigger::Escalation));
        busy.recentEvents = 50;
        QVERIFY(ruleMatches(r, busy, AlertTrigger::Escalation));
    }

    void slackBody()
    {
        const QJsonObject body
            = QJsonDocument::fromJson(webhookBody(WebhookFormat::Slack, issue(), AlertTrigger::Regression, 0)).object();
        QCOMPARE(body.value("text").toString(), QStringLiteral("Regression in shop: KeyError: 'sku'"));
        const QJsonObject section = body.value("blocks").toArray().first().toObject();
        QCOMPARE(section.value("type").toString(), QStringLiteral("section"));
        QCOMPARE(section.value("text").toObject().value("text").toString(),
            QStringLiteral("*Regression* in *shop*\nKeyError: 'sku'\n`shop.views in checkout`\n"
                           "error · environment production · release shop@1.4.0 · 12 events"));
    }

    void discordBody()
    {
        AlertIssue longTitle = issue();
        longTitle.title = QString(300, QLatin1Char('x'));
        const QJsonObject body
            = QJsonDocument::fromJson(webhookBody(WebhookFormat::Discord, longTitle, AlertTrigger::NewIssue, 0))
                  .object();
        QCOMPARE(body.value("content").toString(), QStringLiteral("**New issue** in **shop**"));
        const QJsonObject embed = body.value("embeds").toArray().first().toObject();
        QCOMPARE(embed.value("title").toString().size(), 256); // Discord's limit
        QCOMPARE(embed.value("color").toInt(), 0xe53935);
        QCOMPARE(embed.value("timestamp").toString(), QStringLiteral("2025-10-09T09:03:20.000Z"));
    }

    void plainJsonBody()
    {
        const QJsonObject body = QJsonDocument::fromJson(
            webhookBody(WebhookFormat::Json, issue(), AlertTrigger::NewIssue, 1'760'000'700'000))
                                     .object();
        QCOMPARE(body.value("trigger").toString(), QStringLiteral("new_issue"));
        QCOMPARE(body.value("sent_at").toString(), QStringLiteral("2025-10-09T09:05:00.000Z"));
        QCOMPARE(body.value("project").toObject().value("name").toString(), QStringLiteral("shop"));
        const QJsonObject fields = body.value("issue").toObject();
        QCOMPARE(fields.value("id").toInt(), 7);
        QCOMPARE(fields.value("count").toInt(), 12);
        QCOMPARE(fields.value("first_seen").toString(), QStringLiteral("2025-10-09T08:53:20.000Z"));
    }

    void recipients()
    {
        AlertRule r = rule();
        r.target = QStringLiteral(" dev@example.com,, ops@example.com ");
        QCOMPARE(
            r.recipients(), (QStringList { QStringLiteral("dev@example.com"), QStringLiteral("ops@example.com") }));
    }
};

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_alert_rules.moc"
