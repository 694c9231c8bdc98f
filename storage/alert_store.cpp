#include "storage/alert_store.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

const char *const kRuleColumns = "id, project_id, name, enabled, channel, format, target, on_new_issue, on_regression, "
                                 "on_escalation, min_level, environment, escalation_events, escalation_minutes, "
                                 "quiet_minutes, max_per_hour";

AlertRule readRule(const Statement &row)
{
    AlertRule rule;
    rule.id = row.int64(0);
    rule.projectId = row.int64(1);
    rule.name = row.text(2);
    rule.enabled = row.int64(3) != 0;
    rule.channel = row.text(4) == QLatin1String("email") ? AlertChannel::Email : AlertChannel::Webhook;
    rule.format = formatFromKey(row.text(5));
    rule.target = row.text(6);
    rule.onNewIssue = row.int64(7) != 0;
    rule.onRegression = row.int64(8) != 0;
    rule.onEscalation = row.int64(9) != 0;
    rule.minLevel = row.text(10);
    rule.environment = row.text(11);
    rule.escalationEvents = int(row.int64(12));
    rule.escalationMinutes = int(row.int64(13));
    rule.quietMinutes = int(row.int64(14));
    rule.maxPerHour = int(row.int64(15));
    return rule;
}

} // namespace

AlertTrigger triggerFromKey(const QString &key)
{
    if (key == QLatin1String("regression"))
        return AlertTrigger::Regression;
    if (key == QLatin1String("escalation"))
        return AlertTrigger::Escalation;
    return AlertTrigger::NewIssue;
}

QString smtpSecurityKey(SmtpSecurity security)
{
    return security == SmtpSecurity::None ? QStringLiteral("none")
        : security == SmtpSecurity::Tls   ? QStringLiteral("tls")
                                          : QStringLiteral("starttls");
}

SmtpSecurity smtpSecurityFromKey(const QString &key)
{
    return key == QLatin1String("none") ? SmtpSecurity::None
        : key == QLatin1String("tls")   ? SmtpSecurity::Tls
                                        : SmtpSecurity::StartTls;
}

QString deliveryStateKey(DeliveryState state)
{
    switch (state) {
    case DeliveryState::Sending:
        return QStringLiteral("sending");
    case DeliveryState::Retrying:
        return QStringLiteral("retrying");
    case DeliveryState::Sent:
        return QStringLiteral("sent");
    case DeliveryState::Failed:
        return QStringLiteral("failed");
    case DeliveryState::Suppressed:
        return QStringLiteral("suppressed");
    }
    return {};
}

DeliveryState deliveryStateFromKey(const QString &key)
{
    for (DeliveryState state : { DeliveryState::Sending, DeliveryState::Retrying, DeliveryState::Sent,
             DeliveryState::Failed, DeliveryState::Suppressed })
        if (deliveryStateKey(state) == key)
            return state;
    return DeliveryState::Failed;
}

QList<AlertRule> SqliteAlertStore::rules(qint64 projectId) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT %1 FROM alert_rules WHERE ?1 = 0 OR project_id = ?1 ORDER BY project_id, id")
            .arg(QLatin1String(kRuleColumns)));
    select.bind(1, projectId);
    QList<AlertRule> rules;
    while (select.step())
        rules.append(readRule(select));
    if (!select.error().isEmpty())
        spdlog::error("reading alert rules failed: {}", select.error().toStdString());
    return rules;
}

qint64 SqliteAlertStore::saveRule(const AlertRule &rule, QString *error)
{
    const QVariantList values = { rule.projectId, rule.name, rule.enabled ? 1 : 0,
        rule.channel == AlertChannel::Email ? QStringLiteral("email") : QStringLiteral("webhook"),
        formatKey(rule.format), rule.target.trimmed(), rule.onNewIssue ? 1 : 0, rule.onRegression ? 1 : 0,
        rule.onEscalation ? 1 : 0, rule.minLevel, rule.environment.trimmed(), qMax(1, rule.escalationEvents),
        qMax(1, rule.escalationMinutes), qMax(0, rule.quietMinutes), qMax(0, rule.maxPerHour) };
    Statement statement(m_db.handle(),
        rule.id > 0
            ? QStringLiteral("UPDATE alert_rules SET project_id = ?1, name = ?2, enabled = ?3, channel = ?4, "
                             "format = ?5, target = ?6, on_new_issue = ?7, on_regression = ?8, "
                             "on_escalation = ?9, min_level = ?10, environment = ?11, escalation_events = "
                             "?12, escalation_minutes = ?13, quiet_minutes = ?14, max_per_hour = ?15 "
                             "WHERE id = ?16 RETURNING id")
            : QStringLiteral("INSERT INTO alert_rules(project_id, name, enabled, channel, format, target, "
                             "on_new_issue, on_regression, on_escalation, min_level, environment, "
                             "escalation_events, escalation_minutes, quiet_minutes, max_per_hour) VALUES "
                             "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id"));
    statement.bindAll(values);
    if (rule.id > 0)
        statement.bind(16, rule.id);
    if (statement.step())
        return statement.int64(0);
    const QString why = statement.error().isEmpty() ? QStringLiteral("no such rule") : statement.error();
    spdlog::warn("storing alert rule failed: {}", why.toStdString());
    if (error)
        *error = why;
    return 0;
}

bool SqliteAlertStore::removeRule(qint64 ruleId)
{
    Statement remove(m_db.handle(), QStringLiteral("DELETE FROM alert_rules WHERE id = ?"));
    remove.bind(1, ruleId);
    return remove.exec() && changedRows(m_db.handle()) > 0;
}

qint64 SqliteAlertStore::addDelivery(const AlertDelivery &delivery)
{
    Statement insert(m_db.handle(),
        QStringLiteral("INSERT INTO alert_deliveries(rule_id, issue_id, trigger, summary, created_ms, updated_ms, "
                       "state, attempts, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    insert.bindAll({ delivery.ruleId, delivery.issueId > 0 ? QVariant(delivery.issueId) : QVariant(),
        triggerKey(delivery.trigger), delivery.summary, delivery.createdMs, delivery.createdMs,
        deliveryStateKey(delivery.state), delivery.attempts, delivery.detail });
    if (insert.step())
        return insert.int64(0);
    spdlog::error("recording an alert delivery failed: {}", insert.error().toStdString());
    return 0;
}

// One statement: SQLite runs it under the database's write lock, so two
// connections cannot both find no earlier alert.
qint64 SqliteAlertStore::claimDelivery(const AlertDelivery &delivery, qint64 quietSinceMs)
{
    Statement insert(m_db.handle(),
        QStringLiteral("INSERT INTO alert_deliveries(rule_id, issue_id, trigger, summary, created_ms, updated_ms, "
                       "state, attempts, detail) SELECT ?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8 WHERE NOT EXISTS "
                       "(SELECT 1 FROM alert_deliveries WHERE rule_id = ?1 AND issue_id = ?2 "
                       "AND state <> 'suppressed' AND created_ms >= ?9) RETURNING id"));
    insert.bindAll({ delivery.ruleId, delivery.issueId > 0 ? QVariant(delivery.issueId) : QVariant(),
        triggerKey(delivery.trigger), delivery.summary, delivery.createdMs, deliveryStateKey(delivery.state),
        delivery.attempts, delivery.detail, quietSinceMs });
    if (insert.step())
        return insert.int64(0);
    if (!insert.error().isEmpty())
        spdlog::error("recording an alert delivery failed: {}", insert.error().toStdString());
    return 0;
}

bool SqliteAlertStore::updateDelivery(qint64 id, DeliveryState state, int attempts, const QString &detail, qint64 nowMs)
{
    Statement update(m_db.handle(),
        QStringLiteral("UPDATE alert_deliveries SET state = ?, attempts = ?, detail = ?, updated_ms = ? WHERE id = ?"));
    update.bindAll({ deliveryStateKey(state), attempts, detail, nowMs, id });
    if (update.exec())
        return true;
    spdlog::error("updating alert delivery {} failed: {}", id, update.error().toStdString());
    return false;
}

QList<AlertDelivery> SqliteAlertStore::deliveries(qint64 projectId, int limit) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT d.id, d.rule_id, coalesce(d.issue_id, 0), r.name, r.channel, d.trigger, d.summary, "
                       "d.created_ms, d.updated_ms, d.state, d.attempts, d.detail FROM alert_deliveries d "
                       "JOIN alert_rules r ON r.id = d.rule_id WHERE ?1 = 0 OR r.project_id = ?1 "
                       "ORDER BY d.created_ms DESC, d.id DESC LIMIT ?2"));
    select.bindAll({ projectId, limit });
    QList<AlertDelivery> list;
    while (select.step())
        list.append({ select.int64(0), select.int64(1), select.int64(2), select.text(3), select.text(4),
            triggerFromKey(select.text(5)), select.text(6), select.int64(7), select.int64(8),
            deliveryStateFromKey(select.text(9)), int(select.int64(10)), select.text(11) });
    return list;
}

qint64 SqliteAlertStore::lastAlertMs(qint64 ruleId, qint64 issueId) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT max(created_ms) FROM alert_deliveries WHERE rule_id = ? AND issue_id = ? "
                       "AND state <> 'suppressed'"));
    select.bindAll({ ruleId, issueId });
    return select.step() ? select.int64(0) : 0;
}

int SqliteAlertStore::alertsSince(qint64 ruleId, qint64 sinceMs) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT count(*) FROM alert_deliveries WHERE rule_id = ? AND created_ms >= ? "
                       "AND state <> 'suppressed'"));
    select.bindAll({ ruleId, sinceMs });
    return select.step() ? int(select.int64(0)) : 0;
}

StorageResult<AlertIssue> SqliteAlertStore::issue(qint64 issueId, qint64 recentSinceMs) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT i.id, i.project_id, p.name, i.title, i.culprit, i.level, i.count, i.first_seen_ms, "
                       "i.last_seen_ms, e.environment, e.release FROM issues i JOIN projects p ON p.id = i.project_id "
                       "LEFT JOIN events e ON e.id = (SELECT id FROM events WHERE issue_id = i.id "
                       "ORDER BY received_ms DESC LIMIT 1) WHERE i.id = ?"));
    select.bind(1, issueId);
    if (!select.step())
        return select.noRow(QStringLiteral("issue %1").arg(issueId));
    AlertIssue issue { select.int64(0), select.int64(1), select.text(2), select.text(3), select.text(4), select.text(5),
        select.text(9), select.text(10), select.int64(6), select.int64(7), select.int64(8), 0 };
    if (recentSinceMs > 0) {
        Statement recent(
            m_db.handle(), QStringLiteral("SELECT count(*) FROM events WHERE issue_id = ? AND received_ms >= ?"));
        recent.bindAll({ issueId, recentSinceMs });
        issue.recentEvents = recent.step() ? int(recent.int64(0)) : 0;
    }
    return issue;
}

StorageResult<std::optional<SmtpServer>> SqliteAlertStore::smtpServer() const
{
    Statement select(m_db.handle(),
        QStringLiteral(
            "SELECT host, port, security, username, password, sender, ca_file FROM smtp_server WHERE id = 1"));
    if (!select.step()) {
        if (!select.error().isEmpty())
            return select.storageError();
        return std::optional<SmtpServer>();
    }
    return std::make_optional(SmtpServer { select.text(0), int(select.int64(1)), smtpSecurityFromKey(select.text(2)),
        select.text(3), select.text(4), select.text(5), select.text(6) });
}

bool SqliteAlertStore::setSmtpServer(const std::optional<SmtpServer> &server, QString *error)
{
    Statement statement(m_db.handle(),
        server ? QStringLiteral("INSERT OR REPLACE INTO smtp_server(id, host, port, security, username, password, "
                                "sender, ca_file) VALUES (1, ?, ?, ?, ?, ?, ?, ?)")
               : QStringLiteral("DELETE FROM smtp_server"));
    if (server)
        statement.bindAll({ server->host.trimmed(), server->port, smtpSecurityKey(server->security), server->username,
            server->password, server->sender.trimmed(), server->caFile.trimmed() });
    if (statement.exec())
        return true;
    if (error)
        *error = statement.error();
    spdlog::warn("storing the SMTP server failed: {}", statement.error().toStdString());
    return false;
}

} // namespace faultline
