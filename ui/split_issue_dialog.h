#pragma once
// "Split Off a Grouping Key…" (#13): the keys that lead to an issue, with what
// each counted and how many stored events it grouped, to pick the one that is
// another bug. The split moves that key and its events to a new issue, and
// later events with the key follow (storage/grouping_rules.h).
#include "storage/grouping_queries.h"
#include "storage/issue_queries.h"

#include <QDialog>
#include <QHash>

class QDialogButtonBox;
class QLabel;
class QTreeWidget;

namespace faultline {

class SplitIssueDialog : public QDialog {
    Q_OBJECT
public:
    // `eventsPerKey`: stored events by key id.
    SplitIssueDialog(const IssueRow &issue, const QList<StoredGroupingKey> &keys,
        const QHash<qint64, qint64> &eventsPerKey, QWidget *parent = nullptr);

    qint64 issueId() const { return m_issueId; }
    QString selectedHash() const; // empty until a key that can be split off is selected
    QTreeWidget *keyList() const { return m_keys; }
    QDialogButtonBox *buttons() const { return m_buttons; }

signals:
    void splitRequested(qint64 issueId, const QString &hash);

private:
    void updateButton();

    qint64 m_issueId = 0;
    qint64 m_issueEvents = 0;
    QLabel *m_intro;
    QTreeWidget *m_keys;
    QLabel *m_details; // the selected key's hash and explanation, whole
    QDialogButtonBox *m_buttons;
};

} // namespace faultline
