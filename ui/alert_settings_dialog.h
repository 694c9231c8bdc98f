#pragma once
// Alerts for one project at a time: its rules (webhook or email), the SMTP
// server emails go through, and every delivery with its outcome, failures
// included, refreshed while the dialog is open.
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

class AlertSettingsDialog : public QDialog {
    Q_OBJECT
public:
    // `sendTest` delivers a sample alert through a rule (the app's engine); null hides "Send Test".
    using SendTest = std::function<void(const AlertRule &rule, const AlertIssue &sample)>;
    AlertSettingsDialog(const QString &dbPath, const QList<Project> &projects, qint64 projectId, SendTest sendTest = {},
        QWidget *parent = nullptr);
    ~AlertSettingsDialog() override;

    qint64 projectId() const;
    void showProject(qint64 projectId);
    AlertRuleForm *ruleForm() const { return m_form; }
    QListWidget *ruleList() const { return m_rules; }
    QTreeWidget *deliveryList() const { return m_deliveries; }
    bool saveRule(); // the form's rule (new or selected); false with the reason shown
    void addRule(); // a new, unsaved rule in the form
    void removeRule(); // the selected one
    bool saveSmtpServer();
    void refreshDeliveries();
    QString problemText() const;

private:
    void loadRules(qint64 selectId = 0);
    void showProblem(const QString &text);

    std::unique_ptr<Database> m_db;
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
