#pragma once
// The Notifications page of Settings: for every project, or one project with a
// rule of its own, whether to notify, from which level, for which environments,
// and about what (new issues, regressions, escalations). Edits a copy of the
// rules; the dialog stores them.
#include "model/notification_rules.h"
#include "storage/project_store.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace faultline {

class NotificationRulesForm : public QWidget {
    Q_OBJECT
public:
    NotificationRulesForm(const QList<Project> &projects, qint64 selectedProjectId, QWidget *parent = nullptr);

    void setRules(NotificationRules rules);
    NotificationRules rules() const; // with what the form shows now

    QComboBox *scopeCombo() const { return m_scope; }
    QCheckBox *ownRuleCheck() const { return m_ownRule; }
    QCheckBox *enabledCheck() const { return m_enabled; }
    QComboBox *levelCombo() const { return m_level; }
    QLineEdit *environmentsEdit() const { return m_environments; }
    QCheckBox *newIssuesCheck() const { return m_newIssues; }
    QCheckBox *regressionsCheck() const { return m_regressions; }
    QCheckBox *escalationsCheck() const { return m_escalations; }

private:
    qint64 scopeProjectId() const;
    void showRule(); // the scope's rule into the controls
    void keepRule(); // the controls into m_rules, for the shown scope
    void updateEnabled();

    NotificationRules m_rules;
    qint64 m_shownProjectId = 0;
    bool m_showing = false;
    QComboBox *m_scope;
    QCheckBox *m_ownRule;
    QCheckBox *m_enabled;
    QComboBox *m_level;
    QLineEdit *m_environments;
    QCheckBox *m_newIssues;
    QCheckBox *m_regressions;
    QCheckBox *m_escalations;
};

} // namespace faultline
