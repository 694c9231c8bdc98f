#pragma once
// Edits one alert rule: where it goes (webhook in Slack/Discord/JSON shape,
// or email), when it fires (new issue, regression, escalation past N events
// in M minutes), which issues (minimum level, environment) and how often
// (quiet period, hourly rate).
#include "model/alert_rules.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace faultline {

class AlertRuleForm : public QWidget {
    Q_OBJECT
public:
    explicit AlertRuleForm(QWidget *parent = nullptr);

    void setRule(const AlertRule &rule);
    AlertRule rule() const; // the edited rule, keeping id and project
    QString problem() const; // empty when the rule can be saved, else what to fix

    QLineEdit *targetEdit() const { return m_target; }
    QComboBox *channelCombo() const { return m_channel; }
    QComboBox *formatCombo() const { return m_format; }

signals:
    void edited();

private:
    void updateChannel();

    AlertRule m_rule;
    QLineEdit *m_name;
    QCheckBox *m_enabled;
    QComboBox *m_channel;
    QComboBox *m_format;
    QLineEdit *m_target;
    QCheckBox *m_onNew;
    QCheckBox *m_onRegression;
    QCheckBox *m_onEscalation;
    QSpinBox *m_escalationEvents;
    QSpinBox *m_escalationMinutes;
    QComboBox *m_minLevel;
    QLineEdit *m_environment;
    QSpinBox *m_quiet;
    QSpinBox *m_perHour;
};

} // namespace faultline
