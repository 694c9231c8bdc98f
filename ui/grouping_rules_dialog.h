#pragma once
// Issue › Grouping Rules… (#13): a project's merges and splits, newest first,
// each with what it did and when; removing one undoes it for the events to
// come (storage/grouping_rules.h says how). Reads on the storage reader;
// removing runs through the window's grouping writes, handed in as `runWrite`;
// re-grouping on the storage writer. Either backend (GroupingRuleStore).
#include "storage/grouping_rule_store.h"
#include "storage/storage_error.h"

#include <QDialog>
#include <QFuture>

#include <atomic>
#include <functional>
#include <memory>

class QLabel;
class QProgressDialog;
class QPushButton;
class QTreeWidget;

namespace faultline {

class StorageBackend;
class StorageGateway;

class GroupingRulesDialog : public QDialog {
    Q_OBJECT
public:
    using Write = std::function<qint64(StorageBackend &, QString *)>;
    using RunWrite = std::function<QFuture<qint64>(Write, std::function<void(qint64, const QString &)>)>;

    GroupingRulesDialog(StorageGateway &storage, qint64 projectId, const QString &projectName, RunWrite runWrite,
        QWidget *parent = nullptr);
    ~GroupingRulesDialog() override; // cancels a re-grouping and waits for its step to end

    void refresh(); // reads the rules on the storage reader; refreshed() when shown
    QTreeWidget *ruleList() const { return m_rules; }
    QPushButton *removeButton() const { return m_remove; }
    QLabel *messageLabel() const { return m_message; }
    // Removes the selected rule; the future holds 1 when it was removed, -1 when not.
    QFuture<qint64> removeSelected();
    // "Re-group Project…": every stored event grouped again under the current strategy
    // (storage/regrouper.h) on the storage writer, in short transactions,
    // with a cancellable progress dialog. Rules stay.
    QFuture<RegroupReport> regroup();
    QPushButton *regroupButton() const { return m_regroupButton; }
    QProgressDialog *progressDialog() const { return m_progress; }

signals:
    void rulesChanged(); // a rule was removed or the project re-grouped: issues changed
    void refreshed();
    void regroupFinished(const faultline::RegroupReport &report);

private:
    void showRules(const StorageResult<Result<QList<GroupingRule>, QString>> &read);

    StorageGateway &m_storage;
    qint64 m_projectId;
    RunWrite m_runWrite;
    QLabel *m_intro;
    QTreeWidget *m_rules;
    QLabel *m_message;
    QPushButton *m_remove;
    QPushButton *m_regroupButton;
    QProgressDialog *m_progress = nullptr;
    QString m_projectName;
    std::shared_ptr<std::atomic_bool> m_cancel = std::make_shared<std::atomic_bool>(false);
    QFuture<RegroupReport> m_regrouping;
};

} // namespace faultline
