#pragma once
// Alert rules per project, the record of every delivery, the SMTP server,
// and the issue facts an alert is built from.
#include "model/alert_rules.h"
#include "storage/storage_error.h"

#include <QList>
#include <QString>

#include <optional>

namespace faultline {

class Database;

enum class DeliveryState { Sending, Retrying, Sent, Failed, Suppressed };

struct AlertDelivery {
    qint64 id = 0;
    qint64 ruleId = 0;
    qint64 issueId = 0;
    QString ruleName;
    QString channel; // "webhook" | "email"
    AlertTrigger trigger = AlertTrigger::NewIssue;
    QString summary;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    DeliveryState state = DeliveryState::Sending;
    int attempts = 0;
    QString detail; // "HTTP 200", "HTTP 503; retrying in 4 s", "connection refused", "quiet period"
};

enum class SmtpSecurity { None, StartTls, Tls };

struct SmtpServer {
    QString host;
    int port = 587;
    SmtpSecurity security = SmtpSecurity::StartTls;
    QString username; // empty = no AUTH
    QString password;
    QString sender; // From: address
    QString caFile; // PEM certificates trusted besides the system's (a self-signed server); empty = none

    bool isValid() const { return !host.isEmpty() && port > 0 && !sender.isEmpty(); }
    friend bool operator==(const SmtpServer &, const SmtpServer &) = default;
};

QString deliveryStateKey(DeliveryState state);
DeliveryState deliveryStateFromKey(const QString &key);
AlertTrigger triggerFromKey(const QString &key); // triggerKey's (model/alert_rules.h) other way
QString smtpSecurityKey(SmtpSecurity security); // "none" | "starttls" | "tls", as stored
SmtpSecurity smtpSecurityFromKey(const QString &key);

// What alerts keep, on either backend (storage/backend.h: alerts()):
// SqliteAlertStore here, PgAlertStore in storage/postgres/pg_alert_store.h.
class AlertStore {
public:
    virtual ~AlertStore() = default;

    virtual QList<AlertRule> rules(qint64 projectId) const = 0; // projectId 0 = all projects
    // Inserts (id 0) or updates; the stored id, or 0 and *error (may be null).
    virtual qint64 saveRule(const AlertRule &rule, QString *error) = 0;
    virtual bool removeRule(qint64 ruleId) = 0;

    virtual qint64 addDelivery(const AlertDelivery &delivery) = 0; // its id; 0 on failure
    // Records `delivery` unless its rule already alerted (sent or trying) about
    // its issue at or after `quietSinceMs`: its id, or 0 when it had (or on a
    // failure, logged). One decision at a time per rule, across every process
    // on the database, so collectors sharing one alert once, not once each.
    virtual qint64 claimDelivery(const AlertDelivery &delivery, qint64 quietSinceMs) = 0;
    virtual bool updateDelivery(qint64 id, DeliveryState state, int attempts, const QString &detail, qint64 nowMs) = 0;
    // Newest first; projectId 0 = all.
    virtual QList<AlertDelivery> deliveries(qint64 projectId, int limit) const = 0;
    // When `rule` last alerted (sent or trying) about `issue`; 0 = never.
    virtual qint64 lastAlertMs(qint64 ruleId, qint64 issueId) const = 0;
    // How many alerts `rule` sent or tried since `sinceMs` (suppressed ones do not count).
    virtual int alertsSince(qint64 ruleId, qint64 sinceMs) const = 0;

    // The issue with its project's name and latest event's environment and release;
    // recentEvents counts its events received at or after `recentSinceMs` (0: not counted).
    // NotFound when the issue is gone.
    virtual StorageResult<AlertIssue> issue(qint64 issueId, qint64 recentSinceMs) const = 0;

    // nullopt when none is set up.
    virtual StorageResult<std::optional<SmtpServer>> smtpServer() const = 0;
    // nullopt removes it; *error may be null.
    virtual bool setSmtpServer(const std::optional<SmtpServer> &server, QString *error) = 0;

protected:
    AlertStore() = default;
    AlertStore(const AlertStore &) = default;
    AlertStore &operator=(const AlertStore &) = default;
};

class SqliteAlertStore : public AlertStore {
public:
    explicit SqliteAlertStore(Database &db)
        : m_db(db)
    {
    }

    QList<AlertRule> rules(qint64 projectId) const override;
    qint64 saveRule(const AlertRule &rule, QString *error = nullptr) override;
    bool removeRule(qint64 ruleId) override;

    qint64 addDelivery(const AlertDelivery &delivery) override;
    qint64 claimDelivery(const AlertDelivery &delivery, qint64 quietSinceMs) override;
    bool updateDelivery(qint64 id, DeliveryState state, int attempts, const QString &detail, qint64 nowMs) override;
    QList<AlertDelivery> deliveries(qint64 projectId, int limit) const override;
    qint64 lastAlertMs(qint64 ruleId, qint64 issueId) const override;
    int alertsSince(qint64 ruleId, qint64 sinceMs) const override;

    StorageResult<AlertIssue> issue(qint64 issueId, qint64 recentSinceMs = 0) const override;

    StorageResult<std::optional<SmtpServer>> smtpServer() const override;
    bool setSmtpServer(const std::optional<SmtpServer> &server, QString *error = nullptr) override;

private:
    Database &m_db;
};

} // namespace faultline
