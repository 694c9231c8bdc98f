#pragma once
// Issue › Grouping Rules… (#13): a project's merges and splits, newest first,
// each with what it did and when; removing one undoes it for the events to
// come (storage/grouping_rules.h says how). Reads on the GUI thread (a
// project has a handful of rules); removing runs on the window's write
// worker, handed in as `runWrite`.
#include <QDialog>
#include <QFuture>

#include <functional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace faultline {

class Database;

class GroupingRulesDialog : public QDialog {
    Q_OBJECT
public:
    using Write = std::function<qint64(Database &, QString *)>;
    using RunWrite = std::function<QFuture<qint64>(Write, std::function<void(qint64, const QString &)>)>;

    GroupingRulesDialog(QString dbPath, qint64 projectId, const QString &projectName, RunWrite runWrite,
        QWidget *parent = nullptr);

    void refresh();
    QTreeWidget *ruleList() const { return m_rules; }
    QPushButton *removeButton() const { return m_remove; }
    QLabel *messageLabel() const { return m_message; }
    // Removes the selected rule; the future holds 1 when it was removed, -1 when not.
    QFuture<qint64> removeSelected();

signals:
    void rulesChanged(); // a rule was removed: issues changed

private:
    QString m_dbPath;
    qint64 m_projectId;
    RunWrite m_runWrite;
    QLabel *m_intro;
    QTreeWidget *m_rules;
    QLabel *m_message;
    QPushButton *m_remove;
};

} // namespace faultline
