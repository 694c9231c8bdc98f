#pragma once
// Which new issues, regressions and escalations become a desktop notification
// (and a line in the tray's "last new issues"): per project a minimum level,
// the environments that count and the kinds of news; a rule for every project
// covers those without one of their own. Info and debug issues never notify
// unless a rule lowers the level. Pure values; ui/ stores and edits them.
#include "model/alert_rules.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace faultline {

struct NotificationRule {
    qint64 projectId = 0; // 0 = every project without a rule of its own
    bool enabled = true;
    QString minLevel = QStringLiteral("warning"); // debug < info < warning < error < fatal
    QStringList environments; // empty = any
    bool onNewIssue = true;
    bool onRegression = true;
    bool onEscalation = true; // an issue ignored "until it escalates" that did

    friend bool operator==(const NotificationRule &, const NotificationRule &) = default;
};

class NotificationRules {
public:
    NotificationRules() = default; // the default rule only
    explicit NotificationRules(const QList<NotificationRule> &rules);

    // The project's own rule, else the rule for every project, else the defaults.
    NotificationRule ruleFor(qint64 projectId) const;
    QList<NotificationRule> rules() const { return m_rules; }
    void setRule(const NotificationRule &rule); // replaces the one for its project
    void removeRule(qint64 projectId); // the project follows the rule for every project again

    // Whether `issue` (its level and latest event's environment) notifies on `trigger`.
    bool wants(const AlertIssue &issue, AlertTrigger trigger) const;

    // As stored (a JSON array); unreadable text gives the defaults.
    QString toJson() const;
    static NotificationRules fromJson(const QString &json);

    friend bool operator==(const NotificationRules &, const NotificationRules &) = default;

private:
    QList<NotificationRule> m_rules;
};

} // namespace faultline
