#pragma once
// Alerts for one project at a time: its rules (webhook or email), the SMTP
// server emails go through, and every delivery with its outcome, failures
// included, refreshed while the dialog is open. Reads and writes go through
// the storage gateway; settled() says when none is under way.
#include "storage/alert_store.h"
#include "storage/project_store.h"

#include <QDialog>
#include <QTimer>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace faultline {

class AlertRuleForm;
class Database;
class StorageGateway;

class AlertSettingsDialog : public QDialog {
    Q_OBJECT
public:
    // `sendTest` delivers a sample alert through a rule (the app's engine); null hides "Send Test".
    using SendTest = std::function<void(const AlertRule &rule, const AlertIssue &sample)>;
    AlertSettingsDialog(StorageGateway &storage, const QList<Project> &projects, qint64 projectId,
        SendTest sendTest = {}, QWidget *parent = nullptr);
    ~AlertSettingsDialog() override;

    qint64 projectId() const;
    void showProject(qint64 projectId);
    AlertRuleForm *ruleForm() const { return m_form; }
    QListWidget *ruleList() const { return m_rules; }
    QTreeWidget *deliveryList() const { return m_deliveries; }
    // The form's rule (new or selected): false with the reason shown when it is not valid; else
    // stored on the storage writer, `then` running once it is.
    bool saveRule(std::function<void()> then = {});
    void addRule(); // a new, unsaved rule in the form
    void removeRule(); // the selected one
    bool saveSmtpServer();
    void refreshDeliveries();
    QString problemText() const;
    bool isSettled() const { return m_pending == 0; } // no read or write under way

signals:
    void settled();

private:
    void loadRules(qint64 selectId = 0);
    void showRules(const QList<AlertRule> &rules, qint64 selectId);
    void showDeliveries(const QList<AlertDelivery> &list);
    void showProblem(const QString &text);
    // `sentence`'s %1 is the error's first line (storage/storage_error_text.h); all of it on hover.
    void showProblem(const QString &sentence, const QString &error);
    void settle(); // one read or write is done

    StorageGateway &m_storage;
    int m_pending = 0;
    quint64 m_rulesSerial = 0;
    SendTest m_sendTest;
    QComboBox *m_project;
    QListWidget *m_rules;
    AlertRuleForm *m_form;
    QLabel *m_problem;
    QPushButton *m_save;
    QPushButton *m_test;
    QLineEdit *m_smtpHost;
    QSpinBox *m_smtpPort;
    QComboBox *m_smtpSecurity;
    QLineEdit *m_smtpUser;
    QLineEdit *m_smtpPassword;
    QLineEdit *m_smtpSender;
    QLineEdit *m_smtpCaFile;
    QTreeWidget *m_deliveries;
    QTimer m_refresh;
    QList<AlertRule> m_loaded;
};

} // namespace faultline
