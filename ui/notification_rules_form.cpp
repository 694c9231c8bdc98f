#include "ui/notification_rules_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace faultline {

NotificationRulesForm::NotificationRulesForm(const QList<Project> &projects, qint64 selectedProjectId, QWidget *parent)
    : QWidget(parent)
    , m_scope(new QComboBox(this))
    , m_ownRule(new QCheckBox(tr("This project has a rule of its own"), this))
    , m_enabled(new QCheckBox(tr("Show desktop notifications"), this))
    , m_level(new QComboBox(this))
    , m_environments(new QLineEdit(this))
    , m_newIssues(new QCheckBox(tr("New issues"), this))
    , m_regressions(new QCheckBox(tr("Regressions"), this))
    , m_escalations(new QCheckBox(tr("Escalations"), this))
{
    setObjectName(QStringLiteral("notificationRules"));
    m_scope->setObjectName(QStringLiteral("notificationScope"));
    m_scope->addItem(tr("All projects"), qint64(0));
    for (const Project &project : projects)
        m_scope->addItem(project.name, project.id);
    m_scope->setCurrentIndex(qMax(0, m_scope->findData(selectedProjectId)));
    m_ownRule->setToolTip(tr("Off: the project follows the rule for all projects."));
    for (const char *level : { "debug", "info", "warning", "error", "fatal" })
        m_level->addItem(QString::fromLatin1(level), QString::fromLatin1(level));
    m_level->setToolTip(tr("Issues below this level never notify; info and debug do not unless you lower it."));
    m_environments->setPlaceholderText(tr("any environment; or e.g. production, staging"));
    m_escalations->setToolTip(tr("An issue ignored until it escalates got more events in an hour than it had "
                                 "before, and is open again."));

    auto *kinds = new QHBoxLayout;
    kinds->addWidget(m_newIssues);
    kinds->addWidget(m_regressions);
    kinds->addWidget(m_escalations);
    kinds->addStretch(1);
    auto *page = new QVBoxLayout(this);
    page->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    page->addLayout(form);
    form->addRow(tr("Rule for:"), m_scope);
    form->addRow(m_ownRule);
    form->addRow(m_enabled);
    form->addRow(tr("Minimum level:"), m_level);
    form->addRow(tr("Environments:"), m_environments);
    form->addRow(tr("Notify about:"), kinds);
    auto *note = new QLabel(tr("The tray's list of new issues follows the same rules. Pause notifications from the "
                               "tray menu."),
        this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    page->addWidget(note); // outside the form: a wrapped label in a form row gets too little height

    connect(m_scope, &QComboBox::currentIndexChanged, this, [this]() {
        keepRule();
        showRule();
    });
    // A project's own rule starts as a copy of the rule for all; without one it shows that rule again.
    connect(m_ownRule, &QCheckBox::toggled, this, [this]() {
        if (m_showing)
            return;
        keepRule();
        showRule();
    });
    for (QCheckBox *box : { m_enabled, m_newIssues, m_regressions, m_escalations })
        connect(box, &QCheckBox::toggled, this, [this]() {
            keepRule();
            updateEnabled();
        });
    connect(m_level, &QComboBox::currentIndexChanged, this, &NotificationRulesForm::keepRule);
    connect(m_environments, &QLineEdit::textEdited, this, &NotificationRulesForm::keepRule);
    showRule();
}

qint64 NotificationRulesForm::scopeProjectId() const { return m_scope->currentData().toLongLong(); }

void NotificationRulesForm::setRules(NotificationRules rules)
{
    m_rules = std::move(rules);
    showRule();
}

NotificationRules NotificationRulesForm::rules() const { return m_rules; }

void NotificationRulesForm::showRule()
{
    m_showing = true;
    m_shownProjectId = scopeProjectId();
    const NotificationRule rule = m_rules.ruleFor(m_shownProjectId);
    m_ownRule->setVisible(m_shownProjectId != 0);
    m_ownRule->setChecked(m_shownProjectId != 0 && rule.projectId == m_shownProjectId);
    m_enabled->setChecked(rule.enabled);
    m_level->setCurrentIndex(qMax(0, m_level->findData(rule.minLevel)));
    m_environments->setText(rule.environments.join(QStringLiteral(", ")));
    m_newIssues->setChecked(rule.onNewIssue);
    m_regressions->setChecked(rule.onRegression);
    m_escalations->setChecked(rule.onEscalation);
    m_showing = false;
    updateEnabled();
}

void NotificationRulesForm::keepRule()
{
    if (m_showing)
        return;
    if (m_shownProjectId != 0 && !m_ownRule->isChecked()) {
        m_rules.removeRule(m_shownProjectId);
        return;
    }
    NotificationRule rule;
    rule.projectId = m_shownProjectId;
    rule.enabled = m_enabled->isChecked();
    rule.minLevel = m_level->currentData().toString();
    for (const QString &environment : m_environments->text().split(u',', Qt::SkipEmptyParts))
        if (!environment.trimmed().isEmpty())
            rule.environments.append(environment.trimmed());
    rule.onNewIssue = m_newIssues->isChecked();
    rule.onRegression = m_regressions->isChecked();
    rule.onEscalation = m_escalations->isChecked();
    m_rules.setRule(rule);
}

void NotificationRulesForm::updateEnabled()
{
    const bool editable = m_shownProjectId == 0 || m_ownRule->isChecked();
    m_enabled->setEnabled(editable);
    const bool details = editable && m_enabled->isChecked();
    for (QWidget *widget :
        std::initializer_list<QWidget *> { m_level, m_environments, m_newIssues, m_regressions, m_escalations })
        widget->setEnabled(details);
}

} // namespace faultline
