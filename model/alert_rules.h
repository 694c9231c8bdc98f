#pragma once
// Alerts that reach people: which issue events a project's rule fires on
// (new issue, regression, escalation; minimum level, environment), and the
// bodies sent to a webhook (Slack, Discord, plain JSON) or by email. Pure
// functions; storage keeps the rules and deliveries, alerts/ sends them.
#include <QByteArray>
#include <QString>
#include <QStringList>

namespace faultline {

enum class AlertTrigger { NewIssue, Regression, Escalation };
enum class AlertChannel { Webhook, Email };
enum class WebhookFormat { Slack, Discord, Json };

struct AlertRule {
    qint64 id = 0;
    qint64 projectId = 0;
    QString name;
    bool enabled = true;
    AlertChannel channel = AlertChannel::Webhook;
    WebhookFormat format = WebhookFormat::Json;
    QString target; // webhook URL, or email recipients separated by commas
    bool onNewIssue = true;
    bool onRegression = true;
    bool onEscalation = false;
    QString minLevel = QStringLiteral("error"); // debug < info < warning < error < fatal
    QString environment; // empty = any
    int escalationEvents = 100; // escalation: this many events…
    int escalationMinutes = 60; // …within this window
    int quietMinutes = 30; // no second alert for the same issue meanwhile
    int maxPerHour = 20; // the rule's rate limit; more are recorded, not sent

    QStringList recipients() const; // email: the target split and trimmed
    friend bool operator==(const AlertRule &, const AlertRule &) = default;
};

// What an alert says about the issue that triggered it.
struct AlertIssue {
    qint64 issueId = 0;
    qint64 projectId = 0;
    QString projectName;
    QString title;
    QString culprit;
    QString level;
    QString environment; // of the latest event
    QString release;
    qint64 count = 0;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    int recentEvents = 0; // within the rule's escalation window (filled for escalation checks)
};

QString triggerKey(AlertTrigger trigger); // "new_issue" | "regression" | "escalation", as stored
QString triggerLabel(AlertTrigger trigger); // "New issue", …
QString formatKey(WebhookFormat format); // "slack" | "discord" | "json"
WebhookFormat formatFromKey(const QString &key);

// Whether `rule` fires for `issue` on `trigger` (level, environment, trigger
// kind, escalation threshold). Quiet period and rate are the engine's: they
// depend on what was sent before.
bool ruleMatches(const AlertRule &rule, const AlertIssue &issue, AlertTrigger trigger);
// What ruleMatches() asks of the rule alone: enabled, with a target, on for `trigger`.
bool couldFire(const AlertRule &rule, AlertTrigger trigger);

// One line: "New issue in shop: ZeroDivisionError: division by zero".
QString alertSummary(const AlertIssue &issue, AlertTrigger trigger);
// The webhook body in the rule's format.
QByteArray webhookBody(WebhookFormat format, const AlertIssue &issue, AlertTrigger trigger, qint64 nowMs);
// Plain-text email body (the subject is alertSummary()).
QString emailText(const AlertIssue &issue, AlertTrigger trigger);

} // namespace faultline
