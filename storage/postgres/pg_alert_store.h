#pragma once
// Alert rules, deliveries and the SMTP server on PostgreSQL (#18):
// AlertStore (storage/alert_store.h) on the same tables as SQLite's. Several
// collectors run an alert engine each on one database; claimDelivery()
// decides under a transaction-scoped advisory lock per rule, so an issue two
// collectors both wrote into is alerted about once.
#include "storage/alert_store.h"

namespace faultline {

class PgConnection;

class PgAlertStore : public AlertStore {
public:
    explicit PgAlertStore(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QList<AlertRule> rules(qint64 projectId) const override;
    qint64 saveRule(const AlertRule &rule, QString *error) override;
    bool removeRule(qint64 ruleId) override;

    qint64 addDelivery(const AlertDelivery &delivery) override;
    qint64 claimDelivery(const AlertDelivery &delivery, qint64 quietSinceMs) override;
    bool updateDelivery(qint64 id, DeliveryState state, int attempts, const QString &detail, qint64 nowMs) override;
    QList<AlertDelivery> deliveries(qint64 projectId, int limit) const override;
    qint64 lastAlertMs(qint64 ruleId, qint64 issueId) const override;
    int alertsSince(qint64 ruleId, qint64 sinceMs) const override;

    StorageResult<AlertIssue> issue(qint64 issueId, qint64 recentSinceMs) const override;

    StorageResult<std::optional<SmtpServer>> smtpServer() const override;
    bool setSmtpServer(const std::optional<SmtpServer> &server, QString *error) override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
