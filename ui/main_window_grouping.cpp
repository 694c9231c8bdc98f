// MainWindow's grouping (#13): merging the selected issues, splitting a key off
// the shown one, the project's rules. Writes go through the write worker the
// status changes use (main_window_triage.cpp), so the window never waits for
// the collector's lock; merge and split through IssueMerger, rules through
// GroupingRuleStore, on either backend.
#include "ui/main_window.h"
#include "ui/triage/plural.h"

#include "storage/backend.h"
#include "storage/grouping_queries.h"
#include "storage/grouping_rules.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/grouping_rules_dialog.h"
#include "ui/issue_detail_view.h"
#include "ui/split_issue_dialog.h"
#include "ui/triage/project_list_model.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QMenu>
#include <QMessageBox>
#include <QPromise>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>

namespace faultline {

namespace {

QString elided(const QString &title)
{
    const QString text = title.simplified();
    return text.size() > 80 ? text.left(79) + QStringLiteral("…") : text;
}

} // namespace

QFuture<qint64> MainWindow::runGroupingWrite(
    const GroupingWrite &write, const std::function<void(qint64, const QString &)> &done)
{
    return deliverGroupingWrite(
        [write](StorageBackend &backend) {
            GroupingWriteOutcome outcome;
            outcome.result = write(backend, &outcome.error);
            return outcome;
        },
        done);
}

QFuture<qint64> MainWindow::runMergerWrite(
    const MergerWrite &write, const std::function<void(qint64, const QString &)> &done)
{
    return deliverGroupingWrite(
        [write](StorageBackend &backend) {
            GroupingWriteOutcome outcome;
            outcome.result = write(backend.merger(), &outcome.error);
            return outcome;
        },
        done);
}

QFuture<qint64> MainWindow::deliverGroupingWrite(const std::function<GroupingWriteOutcome(StorageBackend &)> &write,
    const std::function<void(qint64, const QString &)> &done)
{
    auto [written, writeResult] = m_context.storage->writeThen(write,
        [](const StorageResult<GroupingWriteOutcome> &outcome) { return outcome ? outcome->result : qint64(-1); });
    // The result as the returned future has it; the reason from the answer, which finished before it.
    StorageGateway::deliver(writeResult, this, [this, done, answer = written](qint64 result) {
        const StorageResult<GroupingWriteOutcome> outcome = answer.result();
        done(result, outcome ? outcome->error : storageErrorText(outcome.error()));
        refreshThen([this, result]() { emit groupingChangeFinished(result); }); // once the list shows it
    });
    return writeResult;
}

QFuture<QMessageBox *> MainWindow::mergeConfirmation(const QList<qint64> &ids)
{
    auto promise = std::make_shared<QPromise<QMessageBox *>>();
    promise->start();
    QFuture<QMessageBox *> asked = promise->future();
    // The counts as stored now decide which issue stays, as the merge itself will.
    readIssues(ids, [this, promise](const QList<IssueRow> &issues) {
        promise->addResult(mergeQuestion(issues));
        promise->finish();
    });
    return asked;
}

QMessageBox *MainWindow::mergeQuestion(const QList<IssueRow> &issues)
{
    const qint64 survivor = mergeSurvivor(issues);
    QString stays, others;
    for (const IssueRow &issue : std::as_const(issues)) {
        const QString line
            = QStringLiteral("<li>#%1 %2 <small>(%3)</small></li>")
                  .arg(issue.id)
                  .arg(elided(issue.title).toHtmlEscaped(), countText(issue.count, "%1 event", "%1 events"));
        (issue.id == survivor ? stays : others) += line;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Merge Issues"),
        tr("<p>Merge %1 issues into one?</p><p>This one stays, as it has the most events:</p><ul>%2</ul>"
           "<p>These move into it, with their events and grouping keys, and are deleted:</p><ul>%3</ul>"
           "<p>Their future events go to the one that stays. Issue › Grouping Rules lists the merge; "
           "removing it there separates them again.</p>")
            .arg(issues.size())
            .arg(stays, others),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("mergeConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *merge = box->addButton(tr("Merge"), QMessageBox::AcceptRole);
    box->setDefaultButton(merge);
    connect(merge, &QPushButton::clicked, this, [this, survivor]() { mergeSelectedIssues(survivor); });
    return box;
}

QFuture<qint64> MainWindow::mergeSelectedIssues(qint64 into)
{
    const QList<qint64> ids = selectedIssueIds();
    if (ids.size() < 2)
        return QtFuture::makeReadyFuture(qint64(-1));
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    auto outcome = std::make_shared<MergeOutcome>();
    return runMergerWrite(
        [ids, into, nowMs, outcome](IssueMerger &merger, QString *error) -> qint64 {
            const auto merged = merger.merge(ids, into, nowMs, error);
            if (!merged)
                return -1;
            *outcome = *merged;
            return merged->survivorId;
        },
        [this, outcome, ids](qint64 result, const QString &error) {
            if (result < 0) {
                showActionMessage(tr("Not merged: %1").arg(shortErrorText(error)), false);
                return;
            }
            showActionMessage(tr("Merged %1 into #%2 (%3 moved); undo under Issue › Grouping Rules")
                                  .arg(countText(outcome->mergedIds.size(), "%1 issue", "%1 issues"))
                                  .arg(result)
                                  .arg(countText(outcome->eventsMoved, "%1 event", "%1 events")),
                false);
            openIssue(result);
        });
}

QFuture<qint64> MainWindow::splitIssue(qint64 issueId, const QString &hash)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    auto outcome = std::make_shared<SplitOutcome>();
    return runMergerWrite(
        [issueId, hash, nowMs, outcome](IssueMerger &merger, QString *error) -> qint64 {
            const auto split = merger.split(issueId, hash, nowMs, error);
            if (!split)
                return -1;
            *outcome = *split;
            return split->newIssueId;
        },
        [this, outcome, issueId](qint64 result, const QString &error) {
            if (result < 0) {
                showActionMessage(tr("Not split: %1").arg(shortErrorText(error)), false);
                return;
            }
            showActionMessage(tr("Split %1 off #%2 into #%3; undo under Issue › Grouping Rules")
                                  .arg(countText(outcome->eventsMoved, "%1 event", "%1 events"))
                                  .arg(issueId)
                                  .arg(result),
                false);
            openIssue(result);
        });
}

void MainWindow::openSplitDialog()
{
    syncDetailNow();
    const std::optional<IssueRow> shown = m_detail ? m_detail->issue() : std::nullopt;
    if (!shown)
        return;
    struct SplitKeys {
        IssueRow issue; // its count as stored now
        QList<StoredGroupingKey> keys;
        QHash<qint64, qint64> eventsPerKey;
        QString error;
    };
    m_context.storage->read(
        [issueId = shown->id](StorageBackend &backend) -> StorageResult<SplitKeys> {
            StorageResult<IssueRow> issue = backend.issues().byId(issueId);
            if (!issue)
                return issue.error();
            SplitKeys read { std::move(*issue), {}, {}, {} };
            read.keys = backend.merger().keys(issueId, &read.error);
            read.eventsPerKey = backend.merger().eventsPerKey(issueId, &read.error);
            return read;
        },
        this,
        [this](const StorageResult<SplitKeys> &read) {
            const QString error = !read
                ? (read.error().kind == StorageError::Kind::NotFound ? tr("the issue is gone")
                                                                     : storageErrorText(read.error()))
                : read->error;
            if (!error.isEmpty()) {
                statusBar()->showMessage(
                    tr("Could not read the issue's grouping keys: %1").arg(shortErrorText(error)), 8000);
                return;
            }
            auto *dialog = new SplitIssueDialog(read->issue, read->keys, read->eventsPerKey, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &SplitIssueDialog::splitRequested, this, &MainWindow::splitIssue);
            dialog->show();
        });
}

GroupingRulesDialog *MainWindow::openGroupingRules()
{
    const qint64 projectId = m_detail && m_detail->issue() ? m_detail->issue()->projectId : selectedProjectId();
    if (projectId <= 0) {
        statusBar()->showMessage(tr("Select a project first."), 6000);
        return nullptr;
    }
    QString name = QString::number(projectId);
    for (const Project &project : m_projectModel->projects())
        if (project.id == projectId)
            name = project.name;
    auto *dialog = new GroupingRulesDialog(
        *m_context.storage, projectId, name,
        [this](const GroupingRulesDialog::Write &write, const std::function<void(qint64, const QString &)> &done) {
            return runGroupingWrite(write, done);
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GroupingRulesDialog::rulesChanged, this, &MainWindow::refreshNow);
    dialog->show();
    return dialog;
}

void MainWindow::addGroupingActions(QMenu *menu)
{
    const QList<qint64> ids = selectedIssueIds();
    QAction *merge = menu->addAction(tr("Merge…"), this, [this]() {
        const QList<qint64> ids = selectedIssueIds();
        if (ids.size() >= 2)
            mergeConfirmation(ids).then(this, [](QMessageBox *box) { box->open(); });
    });
    merge->setObjectName(QStringLiteral("mergeAction"));
    merge->setEnabled(ids.size() >= 2);
    merge->setToolTip(tr("One issue from the selected ones; their future events follow"));
    QAction *split = menu->addAction(tr("Split Off a Grouping Key…"), this, [this]() { openSplitDialog(); });
    split->setObjectName(QStringLiteral("splitAction"));
    split->setEnabled(ids.size() <= 1 && m_detail && m_detail->issue());
}

} // namespace faultline
