#include "ui/alert_rule_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QUrl>

namespace faultline {

namespace {

QSpinBox *spin(int min, int max, const QString &suffix, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setSuffix(suffix);
    return box;
}

} // namespace

AlertRuleForm::AlertRuleForm(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLineEdit(this))
    , m_enabled(new QCheckBox(tr("Enabled"), this))
    , m_channel(new QComboBox(this))
    , m_format(new QComboBox(this))
    , m_target(new QLineEdit(this))
    , m_onNew(new QCheckBox(tr("New issues"), this))
    , m_onRegression(new QCheckBox(tr("Regressions"), this))
    , m_onEscalation(new QCheckBox(tr("Escalating:"), this))
    , m_escalationEvents(spin(1, 1'000'000, tr(" events"), this))
    , m_escalationMinutes(spin(1, 24 * 60, tr(" min"), this))
    , m_minLevel(new QComboBox(this))
    , m_environment(new QLineEdit(this))
    , m_quiet(spin(0, 7 * 24 * 60, tr(" min"), this))
    , m_perHour(spin(0, 10'000, tr(" an hour"), this))
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_name->setPlaceholderText(tr("e.g. Team channel"));
    form->addRow(tr("Name:"), m_name);
    form->addRow(QString(), m_enabled);
    m_channel->addItem(tr("Webhook"), int(AlertChannel::Webhook));
    m_channel->addItem(tr("Email"), int(AlertChannel::Email));
    m_format->addItem(tr("Slack-compatible JSON"), int(WebhookFormat::Slack));
    m_format->addItem(tr("Discord-compatible JSON"), int(WebhookFormat::Discord));
    m_format->addItem(tr("Plain JSON"), int(WebhookFormat::Json));
    auto *how = new QHBoxLayout;
    how->addWidget(m_channel);
    how->addWidget(m_format, 1);
    form->addRow(tr("Send as:"), how);
    m_target->setObjectName(QStringLiteral("alertTarget"));
    form->addRow(tr("To:"), m_target);

    auto *triggers = new QHBoxLayout;
    triggers->addWidget(m_onNew);
    triggers->addWidget(m_onRegression);
    triggers->addWidget(m_onEscalation);
    triggers->addWidget(m_escalationEvents);
    triggers->addWidget(new QLabel(tr("within"), this));
    triggers->addWidget(m_escalationMinutes);
    triggers->addStretch(1);
    form->addRow(tr("When:"), triggers);

    for (const char *level : { "debug", "info", "warning", "error", "fatal" })
        m_minLevel->addItem(QString::fromLatin1(level));
    m_environment->setPlaceholderText(tr("any environment"));
    auto *which = new QHBoxLayout;
    which->addWidget(new QLabel(tr("level at least"), this));
    which->addWidget(m_minLevel);
    which->addWidget(new QLabel(tr("in"), this));
    which->addWidget(m_environment, 1);
    form->addRow(tr("Issues:"), which);

    m_quiet->setToolTip(tr("No second alert about the same issue within this time"));
    m_perHour->setToolTip(tr("Alerts beyond this are recorded as held back, not sent"));
    auto *often = new QHBoxLayout;
    often->addWidget(new QLabel(tr("quiet for"), this));
    often->addWidget(m_quiet);
    often->addWidget(new QLabel(tr("after an alert; at most"), this));
    often->addWidget(m_perHour);
    often->addStretch(1);
    form->addRow(tr("How often:"), often);

    for (QLineEdit *edit : { m_name, m_target, m_environment })
        connect(edit, &QLineEdit::textEdited, this, &AlertRuleForm::edited);
    for (QCheckBox *box : { m_enabled, m_onNew, m_onRegression, m_onEscalation })
        connect(box, &QCheckBox::toggled, this, &AlertRuleForm::edited);
    for (QComboBox *combo : { m_channel, m_format, m_minLevel })
        connect(combo, &QComboBox::currentIndexChanged, this, &AlertRuleForm::edited);
    for (QSpinBox *box : { m_escalationEvents, m_escalationMinutes, m_quiet, m_perHour })
        connect(box, &QSpinBox::valueChanged, this, &AlertRuleForm::edited);
    connect(m_channel, &QComboBox::currentIndexChanged, this, &AlertRuleForm::updateChannel);
    connect(m_onEscalation, &QCheckBox::toggled, m_escalationEvents, &QWidget::setEnabled);
    connect(m_onEscalation, &QCheckBox::toggled, m_escalationMinutes, &QWidget::setEnabled);
    setRule(AlertRule {});
}

void AlertRuleForm::setRule(const AlertRule &rule)
{
    const QSignalBlocker blocker(this);
    m_rule = rule;
    m_name->setText(rule.name);
    m_enabled->setChecked(rule.enabled);
    m_channel->setCurrentIndex(m_channel->findData(int(rule.channel)));
    m_format->setCurrentIndex(m_format->findData(int(rule.format)));
    m_target->setText(rule.target);
    m_onNew->setChecked(rule.onNewIssue);
    m_onRegression->setChecked(rule.onRegression);
    m_onEscalation->setChecked(rule.onEscalation);
    m_escalationEvents->setValue(rule.escalationEvents);
    m_escalationMinutes->setValue(rule.escalationMinutes);
    m_escalationEvents->setEnabled(rule.onEscalation);
    m_escalationMinutes->setEnabled(rule.onEscalation);
    m_minLevel->setCurrentText(rule.minLevel.isEmpty() ? QStringLiteral("debug") : rule.minLevel);
    m_environment->setText(rule.environment);
    m_quiet->setValue(rule.quietMinutes);
    m_perHour->setValue(rule.maxPerHour);
    updateChannel();
}

AlertRule AlertRuleForm::rule() const
{
    AlertRule rule = m_rule;
    rule.name = m_name->text().trimmed();
    rule.enabled = m_enabled->isChecked();
    rule.channel = AlertChannel(m_channel->currentData().toInt());
    rule.format = WebhookFormat(m_format->currentData().toInt());
    rule.target = m_target->text().trimmed();
    rule.onNewIssue = m_onNew->isChecked();
    rule.onRegression = m_onRegression->isChecked();
    rule.onEscalation = m_onEscalation->isChecked();
    rule.escalationEvents = m_escalationEvents->value();
    rule.escalationMinutes = m_escalationMinutes->value();
    rule.minLevel = m_minLevel->currentText();
    rule.environment = m_environment->text().trimmed();
    rule.quietMinutes = m_quiet->value();
    rule.maxPerHour = m_perHour->value();
    return rule;
}

QString AlertRuleForm::problem() const
{
    const AlertRule edited = rule();
    if (edited.target.isEmpty())
        return edited.channel == AlertChannel::Email ? tr("Name at least one recipient.")
                                                     : tr("Enter the webhook URL.");
    if (edited.channel == AlertChannel::Webhook) {
        const QUrl url(edited.target, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
            return tr("The webhook URL must be an http:// or https:// address.");
    } else {
        for (const QString &address : edited.recipients())
            if (!address.contains(QLatin1Char('@')) || address.contains(QLatin1Char(' ')))
                return tr("Not an email address: %1").arg(address);
    }
    if (!edited.onNewIssue && !edited.onRegression && !edited.onEscalation)
        return tr("Choose when the rule fires.");
    return {};
}

void AlertRuleForm::updateChannel()
{
    const bool email = m_channel->currentData().toInt() == int(AlertChannel::Email);
    m_format->setVisible(!email);
    m_target->setPlaceholderText(email
            ? tr("dev@example.com, ops@example.com")
            : tr("https://hooks.slack.com/services/… or https://discord.com/api/webhooks/…"));
}

} // namespace faultline
