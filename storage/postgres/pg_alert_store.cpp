#include "storage/postgres/pg_alert_store.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_storage_error.h"
#include "storage/postgres/pg_transaction.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

const char *const kRuleColumns = "id, project_id, name, enabled, channel, format, target, on_new_issue, on_regression, "
                                 "on_escalation, min_level, environment, escalation_events, escalation_minutes, "
                                 "quiet_minutes, max_per_hour";

AlertRule readRule(const PgRows &rows, int row)
{
    AlertRule rule;
    rule.id = rows.int64(row, 0);
    rule.projectId = rows.int64(row, 1);
    rule.name = rows.text(row, 2);
    rule.enabled = rows.int64(row, 3) != 0;
    rule.channel = rows.text(row, 4) == QLatin1String("email") ? AlertChannel::Email : AlertChannel::Webhook;
    rule.format = formatFromKey(rows.text(row, 5));
    rule.target = rows.text(row, 6);
    rule.onNewIssue = rows.int64(row, 7) != 0;
    rule.onRegression = rows.int64(row, 8) != 0;
    rule.onEscalation = rows.int64(row, 9) != 0;
    rule.minLevel = rows.text(row, 10);
    rule.environment = rows.text(row, 11);
    rule.escalationEvents = int(rows.int64(row, 12));
    rule.escalationMinutes = int(rows.int64(row, 13));
    rule.quietMinutes = int(rows.int64(row, 14));
    rule.maxPerHour = int(rows.int64(row, 15));
    return rule;
}

// pg_advisory_xact_lock(int, int)'s first key for "deciding an alert of rule N": 'alrt' in ASCII.
constexpr qint64 kAlertRuleLockClass = 0x616c7274;

PgParam flag(bool value) { return PgParam::integer(value ? 1 : 0); }

// The delivery's columns as $1…$8 (rule, issue, trigger, summary, created = updated, state, attempts, detail).
PgParams deliveryParams(const AlertDelivery &delivery)
{
    return { PgParam::integer(delivery.ruleId),
        delivery.issueId > 0 ? PgParam::integer(delivery.issueId) : PgParam::null(),
        PgParam::text(triggerKey(delivery.trigger)), PgParam::text(delivery.summary),
        PgParam::integer(delivery.createdMs), PgParam::text(deliveryStateKey(delivery.state)),
        PgParam::integer(delivery.attempts), PgParam::text(delivery.detail) };
}

const char *const kInsertDelivery
    = "INSERT INTO alert_deliveries(rule_id, issue_id, trigger, summary, created_ms, updated_ms, state, attempts, "
      "detail) SELECT $1, $2, $3, $4, $5, $5, $6, $7, $8";

} // namespace

QList<AlertRule> PgAlertStore::rules(qint64 projectId) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT %1 FROM alert_rules WHERE $1::bigint = 0 OR project_id = $1 ORDER BY project_id, id")
            .arg(QLatin1String(kRuleColumns)),
        { PgParam::integer(projectId) });
    if (!rows) {
        spdlog::error("reading alert rules failed: {}", rows.error().message.toStdString());
        return {};
    }
    QList<AlertRule> rules;
    for (int row = 0; row < rows->rowCount(); ++row)
        rules.append(readRule(rows.value(), row));
    return rules;
}

qint64 PgAlertStore::saveRule(const AlertRule &rule, QString *error)
{
    PgParams values = { PgParam::integer(rule.projectId), PgParam::text(rule.name), flag(rule.enabled),
        PgParam::text(rule.channel == AlertChannel::Email ? QStringLiteral("email") : QStringLiteral("webhook")),
        PgParam::text(formatKey(rule.format)), PgParam::text(rule.target.trimmed()), flag(rule.onNewIssue),
        flag(rule.onRegression), flag(rule.onEscalation), PgParam::text(rule.minLevel),
        PgParam::text(rule.environment.trimmed()), PgParam::integer(qMax(1, rule.escalationEvents)),
        PgParam::integer(qMax(1, rule.escalationMinutes)), PgParam::integer(qMax(0, rule.quietMinutes)),
        PgParam::integer(qMax(0, rule.maxPerHour)) };
    if (rule.id > 0)
        values.push_back(PgParam::integer(rule.id));
    const auto saved = m_connection.exec(rule.id > 0
            ? QStringLiteral("UPDATE alert_rules SET project_id = $1, name = $2, enabled = $3, channel = $4, "
                             "format = $5, target = $6, on_new_issue = $7, on_regression = $8, on_escalation = $9, "
                             "min_level = $10, environment = $11, escalation_events = $12, escalation_minutes = $13, "
                             "quiet_minutes = $14, max_per_hour = $15 WHERE id = $16 RETURNING id")
            : QStringLiteral("INSERT INTO alert_rules(project_id, name, enabled, channel, format, target, "
                             "on_new_issue, on_regression, on_escalation, min_level, environment, "
                             "escalation_events, escalation_minutes, quiet_minutes, max_per_hour) VALUES "
                             "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"),
        values);
    if (saved && saved->rowCount() == 1)
        return saved->int64(0, 0);
    const QString why = !saved ? saved.error().message : QStringLiteral("no such rule");
    spdlog::warn("storing alert rule failed: {}", why.toStdString());
    if (error)
        *error = why;
    return 0;
}

bool PgAlertStore::removeRule(qint64 ruleId)
{
    const auto removed
        = m_connection.exec(QStringLiteral("DELETE FROM alert_rules WHERE id = $1"), { PgParam::integer(ruleId) });
    return removed && removed->affectedRows() > 0;
}

qint64 PgAlertStore::addDelivery(const AlertDelivery &delivery)
{
    const auto inserted = m_connection.exec(
        QString::fromLatin1(kInsertDelivery) + QStringLiteral(" RETURNING id"), deliveryParams(delivery));
    if (inserted && inserted->rowCount() == 1)
        return inserted->int64(0, 0);
    spdlog::error("recording an alert delivery failed: {}",
        inserted ? std::string("no row") : inserted.error().message.toStdString());
    return 0;
}

// A transaction-scoped advisory lock per rule makes the collectors decide one
// after the other (a row lock would need UPDATE on alert_rules, which the
// collector role has no business with); each statement after the lock sees
// what the one before committed.
qint64 PgAlertStore::claimDelivery(const AlertDelivery &delivery, qint64 quietSinceMs)
{
    PgParams params = deliveryParams(delivery);
    params.push_back(PgParam::integer(quietSinceMs));
    const auto claimed = inPgTransaction(m_connection, nullptr, [&](PgError *failure) -> std::optional<qint64> {
        const auto locked = m_connection.exec(QStringLiteral("SELECT pg_advisory_xact_lock($1, $2)"),
            { PgParam::integer(kAlertRuleLockClass), PgParam::integer(delivery.ruleId % 0x7fffffff) });
        const auto inserted = locked
            ? m_connection.exec(QString::fromLatin1(kInsertDelivery)
                    + QStringLiteral(" WHERE EXISTS (SELECT 1 FROM alert_rules WHERE id = $1) AND NOT EXISTS "
                                     "(SELECT 1 FROM alert_deliveries WHERE rule_id = $1 AND issue_id = $2 "
                                     "AND state <> 'suppressed' AND created_ms >= $9) RETURNING id"),
                params)
            : locked;
        if (!inserted)
            return *failure = inserted.error(), std::nullopt;
        return inserted->rowCount() == 1 ? inserted->int64(0, 0) : 0;
    });
    return claimed.value_or(0);
}

bool PgAlertStore::updateDelivery(qint64 id, DeliveryState state, int attempts, const QString &detail, qint64 nowMs)
{
    const auto updated = m_connection.exec(
        QStringLiteral(
            "UPDATE alert_deliveries SET state = $1, attempts = $2, detail = $3, updated_ms = $4 WHERE id = $5"),
        { PgParam::text(deliveryStateKey(state)), PgParam::integer(attempts), PgParam::text(detail),
            PgParam::integer(nowMs), PgParam::integer(id) });
    if (updated)
        return true;
    spdlog::error("updating alert delivery {} failed: {}", id, updated.error().message.toStdString());
    return false;
}

QList<AlertDelivery> PgAlertStore::deliveries(qint64 projectId, int limit) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT d.id, d.rule_id, coalesce(d.issue_id, 0), r.name, r.channel, d.trigger, d.summary, "
                       "d.created_ms, d.updated_ms, d.state, d.attempts, d.detail FROM alert_deliveries d "
                       "JOIN alert_rules r ON r.id = d.rule_id WHERE $1::bigint = 0 OR r.project_id = $1 "
                       "ORDER BY d.created_ms DESC, d.id DESC LIMIT $2"),
        { PgParam::integer(projectId), PgParam::integer(limit) });
    QList<AlertDelivery> list;
    if (!rows) {
        spdlog::error("reading alert deliveries failed: {}", rows.error().message.toStdString());
        return list;
    }
    const PgRows &r = rows.value();
    for (int row = 0; row < r.rowCount(); ++row)
        list.append({ r.int64(row, 0), r.int64(row, 1), r.int64(row, 2), r.text(row, 3), r.text(row, 4),
            triggerFromKey(r.text(row, 5)), r.text(row, 6), r.int64(row, 7), r.int64(row, 8),
            deliveryStateFromKey(r.text(row, 9)), int(r.int64(row, 10)), r.text(row, 11) });
    return list;
}

qint64 PgAlertStore::lastAlertMs(qint64 ruleId, qint64 issueId) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT coalesce(max(created_ms), 0) FROM alert_deliveries WHERE rule_id = $1 "
                       "AND issue_id = $2 AND state <> 'suppressed'"),
        { PgParam::integer(ruleId), PgParam::integer(issueId) });
    return rows && rows->rowCount() == 1 ? rows->int64(0, 0) : 0;
}

int PgAlertStore::alertsSince(qint64 ruleId, qint64 sinceMs) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT count(*) FROM alert_deliveries WHERE rule_id = $1 AND created_ms >= $2 "
                       "AND state <> 'suppressed'"),
        { PgParam::integer(ruleId), PgParam::integer(sinceMs) });
    return rows && rows->rowCount() == 1 ? int(rows->int64(0, 0)) : 0;
}

StorageResult<AlertIssue> PgAlertStore::issue(qint64 issueId, qint64 recentSinceMs) const
{
    // The latest event through events_by_issue_received, as PgIssueReader::news reads it.
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT i.id, i.project_id, p.name, i.title, i.culprit, i.level, i.count, i.first_seen_ms, "
                       "i.last_seen_ms, coalesce(e.environment, ''), coalesce(e.release, ''), "
                       "CASE WHEN $2::bigint > 0 THEN (SELECT count(*) FROM events WHERE issue_id = i.id "
                       "AND received_ms >= $2) ELSE 0 END "
                       "FROM issues i JOIN projects p ON p.id = i.project_id "
                       "LEFT JOIN LATERAL (SELECT environment, release FROM events WHERE issue_id = i.id "
                       "ORDER BY received_ms DESC LIMIT 1) e ON true WHERE i.id = $1"),
        { PgParam::integer(issueId), PgParam::integer(recentSinceMs) });
    if (!rows)
        return storageErrorFromPg(rows.error());
    if (rows->rowCount() == 0)
        return StorageError::notFound(QStringLiteral("issue %1").arg(issueId));
    const PgRows &r = rows.value();
    return AlertIssue { r.int64(0, 0), r.int64(0, 1), r.text(0, 2), r.text(0, 3), r.text(0, 4), r.text(0, 5),
        r.text(0, 9), r.text(0, 10), r.int64(0, 6), r.int64(0, 7), r.int64(0, 8), int(r.int64(0, 11)) };
}

StorageResult<std::optional<SmtpServer>> PgAlertStore::smtpServer() const
{
    const auto rows = m_connection.exec(QStringLiteral(
        "SELECT host, port, security, username, password, sender, ca_file FROM smtp_server WHERE id = 1"));
    if (!rows)
        return storageErrorFromPg(rows.error());
    if (rows->rowCount() == 0)
        return std::optional<SmtpServer>();
    const PgRows &r = rows.value();
    return std::make_optional(SmtpServer { r.text(0, 0), int(r.int64(0, 1)), smtpSecurityFromKey(r.text(0, 2)),
        r.text(0, 3), r.text(0, 4), r.text(0, 5), r.text(0, 6) });
}

bool PgAlertStore::setSmtpServer(const std::optional<SmtpServer> &server, QString *error)
{
    const auto stored = server
        ? m_connection.exec(
            QStringLiteral(
                "INSERT INTO smtp_server(id, host, port, security, username, password, sender, ca_file) "
                "VALUES (1, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, "
                "port = EXCLUDED.port, security = EXCLUDED.security, username = EXCLUDED.username, "
                "password = EXCLUDED.password, sender = EXCLUDED.sender, ca_file = EXCLUDED.ca_file"),
            { PgParam::text(server->host.trimmed()), PgParam::integer(server->port),
                PgParam::text(smtpSecurityKey(server->security)), PgParam::text(server->username),
                PgParam::text(server->password), PgParam::text(server->sender.trimmed()),
                PgParam::text(server->caFile.trimmed()) })
        : m_connection.exec(QStringLiteral("DELETE FROM smtp_server"));
    if (stored)
        return true;
    if (error)
        *error = stored.error().message;
    spdlog::warn("storing the SMTP server failed: {}", stored.error().message.toStdString());
    return false;
}

} // namespace faultline
