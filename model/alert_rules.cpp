#include "model/alert_rules.h"

#include "model/query/query.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

namespace {

// Discord and Slack refuse over-long fields; titles are cut with an ellipsis.
QString cut(const QString &text, int max) { return text.size() <= max ? text : text.left(max - 1) + QChar(0x2026); }

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
}

QString factsLine(const AlertIssue &issue)
{
    QStringList facts;
    facts << issue.level;
    if (!issue.environment.isEmpty())
        facts << QStringLiteral("environment %1").arg(issue.environment);
    if (!issue.release.isEmpty())
        facts << QStringLiteral("release %1").arg(issue.release);
    facts << (issue.count == 1 ? QStringLiteral("1 event") : QStringLiteral("%1 events").arg(issue.count));
    if (issue.recentEvents > 0)
        facts << QStringLiteral("%1 recently").arg(issue.recentEvents);
    return facts.join(QStringLiteral(" · "));
}

int discordColour(AlertTrigger trigger)
{
    switch (trigger) {
    case AlertTrigger::NewIssue:
        return 0xe53935;
    case AlertTrigger::Regression:
        return 0xfb8c00;
    case AlertTrigger::Escalation:
        return 0x8e24aa;
    }
    return 0;
}

} // namespace

QStringList AlertRule::recipients() const
{
    QStringList list;
    for (const QString &part : target.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString address = part.trimmed(); !address.isEmpty())
            list.append(address);
    return list;
}

QString triggerKey(AlertTrigger trigger)
{
    switch (trigger) {
    case AlertTrigger::NewIssue:
        return QStringLiteral("new_issue");
    case AlertTrigger::Regression:
        return QStringLiteral("regression");
    case AlertTrigger::Escalation:
        return QStringLiteral("escalation");
    }
    return {};
}

QString triggerLabel(AlertTrigger trigger)
{
    switch (trigger) {
    case AlertTrigger::NewIssue:
        return QStringLiteral("New issue");
    case AlertTrigger::Regression:
        return QStringLiteral("Regression");
    case AlertTrigger::Escalation:
        return QStringLiteral("Escalating");
    }
    return {};
}

QString formatKey(WebhookFormat format)
{
    switch (format) {
    case WebhookFormat::Slack:
        return QStringLiteral("slack");
    case WebhookFormat::Discord:
        return QStringLiteral("discord");
    case WebhookFormat::Json:
        return QStringLiteral("json");
    }
    return {};
}

WebhookFormat formatFromKey(const QString &key)
{
    if (key == QLatin1String("slack"))
        return WebhookFormat::Slack;
    if (key == QLatin1String("discord"))
        return WebhookFormat::Discord;
    return WebhookFormat::Json;
}

bool couldFire(const AlertRule &rule, AlertTrigger trigger)
{
    if (!rule.enabled || rule.target.trimmed().isEmpty())
        return false;
    return (trigger == AlertTrigger::NewIssue && rule.onNewIssue)
        || (trigger == AlertTrigger::Regression && rule.onRegression)
        || (trigger == AlertTrigger::Escalation && rule.onEscalation);
}

bool ruleMatches(const AlertRule &rule, const AlertIssue &issue, AlertTrigger trigger)
{
    if (!couldFire(rule, trigger))
        return false;
    // Unknown levels (custom strings) count as "error", the SDK default.
    const int rank = levelRank(issue.level) >= 0 ? levelRank(issue.level) : levelRank(QStringLiteral("error"));
    if (!rule.minLevel.isEmpty() && rank < levelRank(rule.minLevel))
        return false;
    if (!rule.environment.isEmpty() && rule.environment != issue.environment)
        return false;
    if (trigger == AlertTrigger::Escalation && issue.recentEvents < qMax(1, rule.escalationEvents))
        return false;
    return true;
}

QString alertSummary(const AlertIssue &issue, AlertTrigger trigger)
{
    return QStringLiteral("%1 in %2: %3").arg(triggerLabel(trigger), issue.projectName, issue.title);
}

QByteArray webhookBody(WebhookFormat format, const AlertIssue &issue, AlertTrigger trigger, qint64 nowMs)
{
    QJsonObject body;
    switch (format) {
    case WebhookFormat::Slack: {
        // Incoming webhooks show `text` in notifications and the blocks in the channel.
        const QString markdown = QStringLiteral("*%1* in *%2*\n%3\n`%4`\n%5")
                                     .arg(triggerLabel(trigger), issue.projectName, cut(issue.title, 500),
                                         cut(issue.culprit, 200), factsLine(issue));
        body.insert(QStringLiteral("text"), cut(alertSummary(issue, trigger), 3000));
        body.insert(QStringLiteral("blocks"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("section") },
                { QStringLiteral("text"),
                    QJsonObject { { QStringLiteral("type"), QStringLiteral("mrkdwn") },
                        { QStringLiteral("text"), markdown } } } } });
        break;
    }
    case WebhookFormat::Discord: {
        QJsonObject embed { { QStringLiteral("title"), cut(issue.title, 256) },
            { QStringLiteral("description"), cut(issue.culprit, 4096) },
            { QStringLiteral("color"), discordColour(trigger) },
            { QStringLiteral("footer"), QJsonObject { { QStringLiteral("text"), cut(factsLine(issue), 2048) } } } };
        if (issue.lastSeenMs > 0)
            embed.insert(QStringLiteral("timestamp"), isoTime(issue.lastSeenMs));
        body.insert(QStringLiteral("content"),
            cut(QStringLiteral("**%1** in **%2**").arg(triggerLabel(trigger), issue.projectName), 2000));
        body.insert(QStringLiteral("embeds"), QJsonArray { embed });
        break;
    }
    case WebhookFormat::Json:
        body.insert(QStringLiteral("trigger"), triggerKey(trigger));
        body.insert(QStringLiteral("summary"), alertSummary(issue, trigger));
        body.insert(QStringLiteral("sent_at"), isoTime(nowMs));
        body.insert(QStringLiteral("project"),
            QJsonObject { { QStringLiteral("id"), issue.projectId }, { QStringLiteral("name"), issue.projectName } });
        body.insert(QStringLiteral("issue"),
            QJsonObject { { QStringLiteral("id"), issue.issueId }, { QStringLiteral("title"), issue.title },
                { QStringLiteral("culprit"), issue.culprit }, { QStringLiteral("level"), issue.level },
                { QStringLiteral("environment"), issue.environment }, { QStringLiteral("release"), issue.release },
                { QStringLiteral("count"), issue.count }, { QStringLiteral("recent_events"), issue.recentEvents },
                { QStringLiteral("first_seen"), isoTime(issue.firstSeenMs) },
                { QStringLiteral("last_seen"), isoTime(issue.lastSeenMs) } });
        break;
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QString emailText(const AlertIssue &issue, AlertTrigger trigger)
{
    QStringList lines;
    lines << alertSummary(issue, trigger) << QString();
    if (!issue.culprit.isEmpty())
        lines << QStringLiteral("Where:       %1").arg(issue.culprit);
    lines << QStringLiteral("Level:       %1").arg(issue.level);
    if (!issue.environment.isEmpty())
        lines << QStringLiteral("Environment: %1").arg(issue.environment);
    if (!issue.release.isEmpty())
        lines << QStringLiteral("Release:     %1").arg(issue.release);
    lines << QStringLiteral("Events:      %1").arg(issue.count);
    if (issue.recentEvents > 0)
        lines << QStringLiteral("Recently:    %1").arg(issue.recentEvents);
    lines << QStringLiteral("First seen:  %1").arg(isoTime(issue.firstSeenMs))
          << QStringLiteral("Last seen:   %1").arg(isoTime(issue.lastSeenMs)) << QString()
          << QStringLiteral("Open Faultline and search for issue %1 (faultline issues --query …).").arg(issue.issueId);
    return lines.join(QStringLiteral("\r\n"));
}

} // namespace faultline
