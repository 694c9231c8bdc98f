#include "ui/alert_settings_dialog.h"

#include "storage/alert_store.h"
#include "storage/backend.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "ui/alert_rule_form.h"
#include "ui/triage/relative_time.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace faultline {

namespace {

constexpr int kShownDeliveries = 200;

QColor stateColour(DeliveryState state)
{
    switch (state) {
    case DeliveryState::Sent:
        return QColor(0x43, 0xa0, 0x47);
    case DeliveryState::Failed:
        return QColor(0xe5, 0x39, 0x35);
    case DeliveryState::Retrying:
    case DeliveryState::Sending:
        return QColor(0xe0, 0xa1, 0x00);
    case DeliveryState::Suppressed:
        break;
    }
    return QColor(0x88, 0x88, 0x88);
}

QString ruleTitle(const AlertRule &rule)
{
    const QString name = rule.name.isEmpty() ? rule.target : rule.name;
    return (rule.channel == AlertChannel::Email ? QStringLiteral("✉ ") : QStringLiteral("⇢ ")) + name
        + (rule.enabled ? QString() : QObject::tr(" (off)"));
}

AlertIssue sampleIssue(qint64 projectId, const QString &projectName)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return AlertIssue { 0, projectId, projectName, QStringLiteral("Test alert from Faultline"),
        QStringLiteral("alerts.settings in send_test"), QStringLiteral("error"), QStringLiteral("test"), QString(), 1,
        now, now, 0 };
}

} // namespace

AlertSettingsDialog::AlertSettingsDialog(
    StorageGateway &storage, const QList<Project> &projects, qint64 projectId, SendTest sendTest, QWidget *parent)
    : QDialog(parent)
    , m_storage(storage)
    , m_sendTest(std::move(sendTest))
    , m_project(new QComboBox(this))
    , m_rules(new QListWidget(this))
    , m_form(new AlertRuleForm(this))
    , m_problem(new QLabel(this))
    , m_save(new QPushButton(tr("Save Rule"), this))
    , m_test(new QPushButton(tr("Send Test"), this))
    , m_smtpHost(new QLineEdit(this))
    , m_smtpPort(new QSpinBox(this))
    , m_smtpSecurity(new QComboBox(this))
    , m_smtpUser(new QLineEdit(this))
    , m_smtpPassword(new QLineEdit(this))
    , m_smtpSender(new QLineEdit(this))
    , m_smtpCaFile(new QLineEdit(this))
    , m_deliveries(new QTreeWidget(this))
{
    setWindowTitle(tr("Alerts"));
    auto *layout = new QVBoxLayout(this);
    auto *projectRow = new QHBoxLayout;
    projectRow->addWidget(new QLabel(tr("Project:"), this));
    for (const Project &project : projects)
        m_project->addItem(project.name, project.id);
    projectRow->addWidget(m_project);
    projectRow->addStretch(1);
    layout->addLayout(projectRow);

    auto *rulesBox = new QGroupBox(tr("Rules: who hears about new issues, regressions and escalations"), this);
    auto *rulesLayout = new QHBoxLayout(rulesBox);
    auto *listColumn = new QVBoxLayout;
    m_rules->setObjectName(QStringLiteral("alertRules"));
    m_rules->setMaximumWidth(220);
    listColumn->addWidget(m_rules, 1);
    auto *listButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), rulesBox);
    auto *remove = new QPushButton(tr("Remove"), rulesBox);
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    listColumn->addLayout(listButtons);
    rulesLayout->addLayout(listColumn);
    auto *formColumn = new QVBoxLayout;
    formColumn->addWidget(m_form);
    m_problem->setStyleSheet(QStringLiteral("color:#e53935"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    formColumn->addWidget(m_problem);
    auto *formButtons = new QHBoxLayout;
    formButtons->addStretch(1);
    formButtons->addWidget(m_test);
    formButtons->addWidget(m_save);
    formColumn->addLayout(formButtons);
    formColumn->addStretch(1);
    rulesLayout->addLayout(formColumn, 1);
    layout->addWidget(rulesBox);

    auto *smtpBox = new QGroupBox(tr("Email server (SMTP), for all projects"), this);
    auto *smtp = new QFormLayout(smtpBox);
    m_smtpPort->setRange(1, 65535);
    m_smtpPort->setValue(587);
    m_smtpSecurity->addItem(tr("STARTTLS"), int(SmtpSecurity::StartTls));
    m_smtpSecurity->addItem(tr("TLS (SMTPS)"), int(SmtpSecurity::Tls));
    m_smtpSecurity->addItem(tr("None (local relay only)"), int(SmtpSecurity::None));
    m_smtpPassword->setEchoMode(QLineEdit::Password);
    m_smtpPassword->setPlaceholderText(tr("stored in the Faultline database, unencrypted"));
    m_smtpSender->setPlaceholderText(tr("faultline@example.com"));
    auto *server = new QHBoxLayout;
    server->addWidget(m_smtpHost, 1);
    server->addWidget(m_smtpPort);
    server->addWidget(m_smtpSecurity);
    smtp->addRow(tr("Server:"), server);
    auto *login = new QHBoxLayout;
    login->addWidget(m_smtpUser, 1);
    login->addWidget(m_smtpPassword, 1);
    smtp->addRow(tr("User, password:"), login);
    auto *sender = new QHBoxLayout;
    sender->addWidget(m_smtpSender, 1);
    smtp->addRow(tr("From:"), sender);
    // A server with a self-signed or company certificate: the user says what to trust, rather than
    // certificate checks being turned off.
    m_smtpCaFile->setObjectName(QStringLiteral("smtpCaFile"));
    m_smtpCaFile->setPlaceholderText(
        tr("optional: a CA or the server's certificate (PEM) to trust besides the system's"));
    auto *caFile = new QHBoxLayout;
    caFile->addWidget(m_smtpCaFile, 1);
    auto *browseCa = new QPushButton(tr("Choose…"), smtpBox);
    connect(browseCa, &QPushButton::clicked, this, [this]() {
        const QString file = QFileDialog::getOpenFileName(this, tr("Certificate to Trust"), m_smtpCaFile->text(),
            tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_smtpCaFile->setText(file);
    });
    caFile->addWidget(browseCa);
    auto *saveSmtp = new QPushButton(tr("Save Server"), smtpBox);
    caFile->addWidget(saveSmtp);
    smtp->addRow(tr("Trust also:"), caFile);
    layout->addWidget(smtpBox);

    auto *deliveriesBox = new QGroupBox(tr("Deliveries (newest first)"), this);
    auto *deliveriesLayout = new QVBoxLayout(deliveriesBox);
    m_deliveries->setObjectName(QStringLiteral("alertDeliveries"));
    m_deliveries->setHeaderLabels({ tr("When"), tr("Rule"), tr("Alert"), tr("Outcome"), tr("Tries"), tr("Detail") });
    m_deliveries->setRootIsDecorated(false);
    m_deliveries->setAlternatingRowColors(true);
    m_deliveries->header()->setStretchLastSection(true);
    m_deliveries->setMinimumHeight(140);
    deliveriesLayout->addWidget(m_deliveries);
    layout->addWidget(deliveriesBox, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_test->setVisible(bool(m_sendTest));
    m_test->setToolTip(tr("Send a sample alert through this rule now (it is saved first)"));
    connect(add, &QPushButton::clicked, this, &AlertSettingsDialog::addRule);
    connect(remove, &QPushButton::clicked, this, &AlertSettingsDialog::removeRule);
    connect(m_save, &QPushButton::clicked, this, [this]() { saveRule(); });
    connect(saveSmtp, &QPushButton::clicked, this, &AlertSettingsDialog::saveSmtpServer);
    connect(m_test, &QPushButton::clicked, this, [this]() {
        saveRule([this]() {
            m_sendTest(m_form->rule(), sampleIssue(this->projectId(), m_project->currentText()));
            QTimer::singleShot(500, this, &AlertSettingsDialog::refreshDeliveries);
        });
    });
    connect(m_rules, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < m_loaded.size())
            m_form->setRule(m_loaded.at(row));
        m_problem->hide();
    });
    connect(m_project, &QComboBox::currentIndexChanged, this, [this]() {
        loadRules();
        refreshDeliveries();
    });
    m_refresh.setInterval(2000); // retries land while the dialog is open
    connect(&m_refresh, &QTimer::timeout, this, &AlertSettingsDialog::refreshDeliveries);
    m_refresh.start();

    ++m_pending;
    m_storage.read([](StorageBackend &backend) { return backend.alerts().smtpServer(); }, this,
        [this](const StorageResult<std::optional<SmtpServer>> &read) {
            if (!read)
                showProblem(tr("Could not read the email server: %1."), storageErrorText(read.error()));
            else if (const std::optional<SmtpServer> &stored = *read) {
                m_smtpHost->setText(stored->host);
                m_smtpPort->setValue(stored->port);
                m_smtpSecurity->setCurrentIndex(m_smtpSecurity->findData(int(stored->security)));
                m_smtpUser->setText(stored->username);
                m_smtpPassword->setText(stored->password);
                m_smtpSender->setText(stored->sender);
                m_smtpCaFile->setText(stored->caFile);
            }
            settle();
        });
    showProject(projectId);
    resize(900, 680);
}

AlertSettingsDialog::~AlertSettingsDialog() = default;

qint64 AlertSettingsDialog::projectId() const { return m_project->currentData().toLongLong(); }

void AlertSettingsDialog::showProject(qint64 projectId)
{
    const int index = m_project->findData(projectId);
    m_project->setCurrentIndex(index >= 0 ? index : 0);
    loadRules();
    refreshDeliveries();
}

void AlertSettingsDialog::settle()
{
    if (--m_pending == 0)
        emit settled();
}

void AlertSettingsDialog::loadRules(qint64 selectId)
{
    const qint64 project = projectId();
    const quint64 serial = ++m_rulesSerial;
    ++m_pending;
    m_storage.read([project](StorageBackend &backend) { return backend.alerts().rules(project); }, this,
        [this, selectId, serial](const StorageResult<QList<AlertRule>> &read) {
            if (serial == m_rulesSerial) // else the project changed again; its own read shows its rules
                showRules(read ? *read : QList<AlertRule>(), selectId);
            if (!read)
                showProblem(tr("Could not read the rules: %1."), storageErrorText(read.error()));
            settle();
        });
}

void AlertSettingsDialog::showRules(const QList<AlertRule> &rules, qint64 selectId)
{
    m_loaded = rules;
    const QSignalBlocker blocker(m_rules);
    m_rules->clear();
    int select = -1;
    for (int i = 0; i < m_loaded.size(); ++i) {
        m_rules->addItem(ruleTitle(m_loaded.at(i)));
        if (m_loaded.at(i).id == selectId)
            select = i;
    }
    if (select < 0 && !m_loaded.isEmpty())
        select = 0;
    m_rules->setCurrentRow(select);
    if (select >= 0)
        m_form->setRule(m_loaded.at(select));
    else
        addRule();
}

void AlertSettingsDialog::addRule()
{
    AlertRule rule;
    rule.projectId = projectId();
    m_rules->clearSelection();
    m_rules->setCurrentRow(-1);
    m_form->setRule(rule);
    m_problem->hide();
}

void AlertSettingsDialog::removeRule()
{
    const int row = m_rules->currentRow();
    if (row < 0 || row >= m_loaded.size())
        return;
    ++m_pending;
    m_storage.write([id = m_loaded.at(row).id](StorageBackend &backend) { backend.alerts().removeRule(id); }, this,
        [this](const StorageResult<void> &removed) {
            if (!removed)
                showProblem(tr("Could not remove the rule: %1."), storageErrorText(removed.error()));
            loadRules();
            refreshDeliveries();
            settle();
        });
}

bool AlertSettingsDialog::saveRule(std::function<void()> then)
{
    const QString problem = m_form->problem();
    if (!problem.isEmpty()) {
        showProblem(problem);
        return false;
    }
    AlertRule rule = m_form->rule();
    rule.projectId = projectId();
    ++m_pending;
    m_storage.write(
        [rule](StorageBackend &backend) -> Result<qint64, QString> {
            QString error;
            const qint64 id = backend.alerts().saveRule(rule, &error);
            if (id <= 0)
                return error;
            return id;
        },
        this,
        [this, then = std::move(then)](const StorageResult<Result<qint64, QString>> &saved) {
            if (!saved || !saved->ok()) {
                showProblem(
                    tr("Could not store the rule: %1"), saved ? saved->error() : storageErrorText(saved.error()));
            } else {
                m_problem->hide();
                loadRules(saved->value());
                if (then)
                    then();
            }
            settle();
        });
    return true;
}

bool AlertSettingsDialog::saveSmtpServer()
{
    SmtpServer server { m_smtpHost->text().trimmed(), m_smtpPort->value(),
        SmtpSecurity(m_smtpSecurity->currentData().toInt()), m_smtpUser->text().trimmed(), m_smtpPassword->text(),
        m_smtpSender->text().trimmed(), m_smtpCaFile->text().trimmed() };
    const bool clear = server.host.isEmpty();
    if (!clear && !server.isValid()) {
        showProblem(tr("The email server needs a host and a From address."));
        return false;
    }
    const std::optional<SmtpServer> stored = clear ? std::nullopt : std::optional(server);
    ++m_pending;
    m_storage.write(
        [stored](StorageBackend &backend) -> Result<void, QString> {
            QString error;
            if (!backend.alerts().setSmtpServer(stored, &error))
                return error;
            return {};
        },
        this,
        [this](const StorageResult<Result<void, QString>> &saved) {
            if (!saved || !saved->ok())
                showProblem(tr("Could not store the email server: %1"),
                    saved ? saved->error() : storageErrorText(saved.error()));
            else
                m_problem->hide();
            settle();
        });
    return true;
}

void AlertSettingsDialog::refreshDeliveries()
{
    const qint64 project = projectId();
    ++m_pending;
    m_storage.read(
        [project](StorageBackend &backend) { return backend.alerts().deliveries(project, kShownDeliveries); }, this,
        [this, project](const StorageResult<QList<AlertDelivery>> &read) {
            if (read && project == projectId())
                showDeliveries(*read);
            settle();
        });
}

void AlertSettingsDialog::showDeliveries(const QList<AlertDelivery> &list)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_deliveries->clear();
    for (const AlertDelivery &delivery : list) {
        auto *item = new QTreeWidgetItem(m_deliveries,
            { relativeTime(delivery.createdMs, now), delivery.ruleName.isEmpty() ? delivery.channel : delivery.ruleName,
                delivery.summary, deliveryStateKey(delivery.state), QString::number(delivery.attempts),
                delivery.detail });
        item->setForeground(3, stateColour(delivery.state));
        item->setToolTip(0, absoluteTime(delivery.createdMs));
        item->setToolTip(5, delivery.detail);
    }
    m_deliveries->resizeColumnToContents(0);
    m_deliveries->resizeColumnToContents(3);
    m_deliveries->resizeColumnToContents(4);
    m_deliveries->resizeColumnToContents(2);
    m_deliveries->setColumnWidth(2, qMin(m_deliveries->columnWidth(2), 320)); // the detail gets the rest
}

QString AlertSettingsDialog::problemText() const { return m_problem->isHidden() ? QString() : m_problem->text(); }

void AlertSettingsDialog::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setToolTip({});
    m_problem->show();
}

void AlertSettingsDialog::showProblem(const QString &sentence, const QString &error)
{
    m_problem->setText(sentence.arg(shortErrorText(error)));
    m_problem->setToolTip(error);
    m_problem->show();
}

} // namespace faultline
