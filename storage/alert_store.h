#pragma once
// Alert rules per project, the record of every delivery, the SMTP server,
// and the issue facts an alert is built from.
#include "model/alert_rules.h"

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

class AlertStore {
public:
    explicit AlertStore(Database &db)
        : m_db(db)
    {
    }

    QList<AlertRule> rules(qint64 projectId) const; // projectId 0 = all projects
    // Inserts (id 0) or updates; the stored id, or 0 and *error.
    qint64 saveRule(const AlertRule &rule, QString *error = nullptr);
    bool removeRule(qint64 ruleId);

    qint64 addDelivery(const AlertDelivery &delivery); // its id; 0 on failure
    bool updateDelivery(qint64 id, DeliveryState state, int attempts, const QString &detail, qint64 nowMs);
    // Newest first; projectId 0 = all.
    QList<AlertDelivery> deliveries(qint64 projectId, int limit) const;
    // When `rule` last alerted (sent or trying) about `issue`; 0 = never.
    qint64 lastAlertMs(qint64 ruleId, qint64 issueId) const;
    // How many alerts `rule` sent or tried since `sinceMs` (suppressed ones do not count).
    int alertsSince(qint64 ruleId, qint64 sinceMs) const;

    // The issue with its project's name and latest event's environment and release;
    // recentEvents counts its events received at or after `recentSinceMs` (0: not counted).
    std::optional<AlertIssue> issue(qint64 issueId, qint64 recentSinceMs = 0) const;

    std::optional<SmtpServer> smtpServer() const;
    bool setSmtpServer(const std::optional<SmtpServer> &server, QString *error = nullptr); // nullopt removes it

private:
    Database &m_db;
};

} // namespace faultline
