#include "model/notification_rules.h"

#include "model/query/query.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

NotificationRules::NotificationRules(const QList<NotificationRule> &rules)
{
    for (const NotificationRule &rule : rules)
        setRule(rule);
}

NotificationRule NotificationRules::ruleFor(qint64 projectId) const
{
    NotificationRule everyProject;
    for (const NotificationRule &rule : m_rules) {
        if (rule.projectId == projectId && projectId != 0)
            return rule;
        if (rule.projectId == 0)
            everyProject = rule;
    }
    everyProject.projectId = 0;
    return everyProject;
}

void NotificationRules::setRule(const NotificationRule &rule)
{
    removeRule(rule.projectId);
    m_rules.append(rule);
}

void NotificationRules::removeRule(qint64 projectId)
{
    m_rules.removeIf([projectId](const NotificationRule &rule) { return rule.projectId == projectId; });
}

bool NotificationRules::wants(const AlertIssue &issue, AlertTrigger trigger) const
{
    const NotificationRule rule = ruleFor(issue.projectId);
    if (!rule.enabled)
        return false;
    const bool kindWanted = (trigger == AlertTrigger::NewIssue && rule.onNewIssue)
        || (trigger == AlertTrigger::Regression && rule.onRegression)
        || (trigger == AlertTrigger::Escalation && rule.onEscalation);
    if (!kindWanted)
        return false;
    // Unknown levels (custom strings) count as "error", the SDK default, as alert rules do.
    const int rank = levelRank(issue.level) >= 0 ? levelRank(issue.level) : levelRank(QStringLiteral("error"));
    if (!rule.minLevel.isEmpty() && rank < levelRank(rule.minLevel))
        return false;
    return rule.environments.isEmpty() || rule.environments.contains(issue.environment);
}

QString NotificationRules::toJson() const
{
    QJsonArray array;
    for (const NotificationRule &rule : m_rules)
        array.append(
            QJsonObject { { "project_id", rule.projectId }, { "enabled", rule.enabled }, { "min_level", rule.minLevel },
                { "environments", QJsonArray::fromStringList(rule.environments) }, { "new_issue", rule.onNewIssue },
                { "regression", rule.onRegression }, { "escalation", rule.onEscalation } });
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

NotificationRules NotificationRules::fromJson(const QString &json)
{
    QList<NotificationRule> rules;
    const NotificationRule defaults;
    for (const QJsonValue &value : QJsonDocument::fromJson(json.toUtf8()).array()) {
        const QJsonObject object = value.toObject();
        NotificationRule rule;
        rule.projectId = object.value("project_id").toInteger();
        rule.enabled = object.value("enabled").toBool(defaults.enabled);
        const QString level = object.value("min_level").toString(defaults.minLevel);
        rule.minLevel = levelRank(level) >= 0 ? level : defaults.minLevel;
        for (const QJsonValue &environment : object.value("environments").toArray())
            if (!environment.toString().trimmed().isEmpty())
                rule.environments.append(environment.toString().trimmed());
        rule.onNewIssue = object.value("new_issue").toBool(defaults.onNewIssue);
        rule.onRegression = object.value("regression").toBool(defaults.onRegression);
        rule.onEscalation = object.value("escalation").toBool(defaults.onEscalation);
        rules.append(rule);
    }
    return NotificationRules(rules);
}

} // namespace faultline
