// MainWindow's triage: the detail follows the current row, status changes act on
// what the user sees and can be undone, the rows' context menu.
#include "ui/main_window.h"
#include "ui/triage/plural.h"

#include "storage/backend.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/issue_detail_view.h"
#include "ui/triage/issue_list_model.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QStatusBar>
#include <QTableView>

#include <spdlog/spdlog.h>

namespace faultline {

QList<qint64> MainWindow::selectedIssueIds() const
{
    QList<qint64> ids;
    if (!m_issueView)
        return ids;
    for (const QModelIndex &index : m_issueView->selectionModel()->selectedRows())
        if (const qint64 id = m_issueModel->issueId(index.row()))
            ids.append(id);
    if (ids.isEmpty() && m_issueView->currentIndex().isValid())
        if (const qint64 id = m_issueModel->issueId(m_issueView->currentIndex().row()))
            ids.append(id);
    return ids;
}

void MainWindow::openCurrentIssue()
{
    if (!m_issueView->currentIndex().isValid())
        return;
    syncDetailNow();
    m_detail->scrollArea()->setFocus();
}

void MainWindow::onCurrentRowChanged(const QModelIndex &current)
{
    updateActionsEnabled();
    if (!current.isValid())
        return; // a refresh or search that lost the row decides (keepDetailOnTheList)
    m_lastCurrentRow = current.row();
    m_detailFollowsList = true;
    m_detailAwaitsRow = false;
    // Opening an issue reads and renders its latest event; while j is held, only the row moves.
    m_detailTimer.start();
}

void MainWindow::followCurrentRow()
{
    m_detailTimer.stop();
    const QModelIndex current = m_issueView->currentIndex();
    if (!current.isValid())
        return;
    const std::optional<IssueRow> issue = m_issueModel->issueAt(current.row());
    // Its page is on its way (a jump far down, a refresh that re-reads the rows): shown when it lands.
    m_detailAwaitsRow = !issue;
    if (!issue)
        return;
    if (!m_detail->issue() || m_detail->issue()->id != issue->id)
        m_detail->setIssue(*issue);
    m_detailFollowsList = true;
    updateActionsEnabled();
}

void MainWindow::syncDetailNow()
{
    if (m_detailTimer.isActive() || (m_issueView && m_issueView->currentIndex().isValid()))
        followCurrentRow();
}

void MainWindow::selectAfterReset()
{
    // A new search, project or sort: the open issue stays when the list still has it on its
    // first page, else the top row takes over.
    m_lastCurrentRow = 0;
    const qint64 shown = m_detail && m_detail->issue() ? m_detail->issue()->id : 0;
    const std::optional<IssueRow> first = m_issueModel->issueAt(0); // the first page comes with the reset
    const int keep = shown && first ? m_issueModel->rowOfIssue(shown) : -1;
    if (first)
        m_issueView->selectionModel()->setCurrentIndex(m_issueModel->index(qMax(0, keep), IssueListModel::TitleColumn),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (keep >= 0)
        m_issueView->scrollTo(m_issueModel->index(keep, IssueListModel::TitleColumn));
    m_detailFollowsList = true;
    keepDetailOnTheList();
}

void MainWindow::keepDetailOnTheList()
{
    const QModelIndex current = m_issueView->currentIndex();
    if (current.isValid()) {
        const qint64 shown = m_detail->issue() ? m_detail->issue()->id : 0;
        if (m_detailFollowsList && shown != m_issueModel->issueId(current.row()))
            m_detailTimer.start();
        m_lastCurrentRow = current.row();
        return;
    }
    if (!m_detailFollowsList)
        return; // an issue opened from the Pages tab stays until the user picks a row
    const int rows = m_issueModel->rowCount();
    if (rows == 0) {
        m_detailTimer.stop();
        m_detail->clear(); // its issue left the list, and nothing took its place
        updateActionsEnabled();
        return;
    }
    // The issue left the list (resolved, ignored, filtered out): the one that took its row follows.
    const QModelIndex next = m_issueModel->index(qBound(0, m_lastCurrentRow, rows - 1), IssueListModel::TitleColumn);
    m_issueView->selectionModel()->setCurrentIndex(
        next, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QList<qint64> MainWindow::actionTargets()
{
    // The user sees the detail: a row moved to a moment ago is shown before anything happens to it.
    syncDetailNow();
    QList<qint64> ids;
    if (m_issueView)
        for (const QModelIndex &index : m_issueView->selectionModel()->selectedRows())
            if (const qint64 id = m_issueModel->issueId(index.row()))
                ids.append(id);
    if (ids.isEmpty() && m_detail && m_detail->issue())
        ids.append(m_detail->issue()->id);
    return ids;
}

void MainWindow::updateActionsEnabled()
{
    const bool any = (m_issueView && m_issueView->selectionModel()->hasSelection()) || (m_detail && m_detail->issue());
    for (QAction *action : std::as_const(m_issueActions))
        action->setEnabled(any);
    if (m_undoAction)
        m_undoAction->setEnabled(canUndo());
}

namespace {

struct StatusWriteOutcome {
    int changed = -1;
    QList<IssueStatusState> before; // what the issues were, for undo
};

} // namespace

QFuture<int> MainWindow::runStatusWrite(const StatusWrite &write, const StatusWriteDone &done)
{
    // On the storage writer, in the order asked: the window never waits for the collector's lock.
    auto [written, changedCount] = m_context.storage->writeThen(
        [write](StorageBackend &backend) {
            StatusWriteOutcome outcome;
            QString error;
            outcome.changed = write(backend.statuses(), &outcome.before, &error);
            if (outcome.changed < 0)
                spdlog::error("status change failed: {}", error.toStdString());
            return outcome;
        },
        [](const StorageResult<StatusWriteOutcome> &outcome) { return outcome ? outcome->changed : -1; });
    // The count as the returned future has it; the states for undo from the answer, which finished before it.
    StorageGateway::deliver(changedCount, this, [this, done, answer = written](int changed) {
        const StorageResult<StatusWriteOutcome> outcome = answer.result();
        const qint64 toShow = done(changed, outcome ? outcome->before : QList<IssueStatusState>());
        refreshThen([this, changed, toShow]() { // once the list shows it, and the issue to show with it
            showIssueThen(toShow, [this, changed]() { emit statusChangeFinished(changed); });
        });
    });
    return changedCount;
}

QFuture<int> MainWindow::setSelectedStatus(IssueStatus status)
{
    StatusChange change;
    change.status = status;
    return changeSelectedStatus(change);
}

namespace {

QString changeText(const StatusChange &change)
{
    switch (change.status) {
    case IssueStatus::Unresolved:
        return QObject::tr("unresolved");
    case IssueStatus::Resolved:
        return change.until == StatusChange::Until::NextRelease ? QObject::tr("resolved in the next release")
                                                                : QObject::tr("resolved");
    case IssueStatus::Ignored:
        break;
    }
    switch (change.until) {
    case StatusChange::Until::Duration:
        return QObject::tr("ignored for %1 h").arg(change.durationMs / 3600'000);
    case StatusChange::Until::Events:
        return QObject::tr("ignored until %1 more events").arg(change.events);
    case StatusChange::Until::Escalating:
        return QObject::tr("ignored until they escalate");
    default:
        return QObject::tr("ignored");
    }
}

} // namespace

QFuture<int> MainWindow::changeSelectedStatus(const StatusChange &change)
{
    const QList<qint64> ids = actionTargets();
    if (ids.isEmpty() || !m_issueModel)
        return QtFuture::makeReadyFuture(0);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    return runStatusWrite([ids, change, nowMs](IssueStatusChanger &statuses, QList<IssueStatusState> *before,
                              QString *error) { return statuses.apply(ids, change, nowMs, before, error); },
        [this, change](int changed, const QList<IssueStatusState> &before) -> qint64 {
            if (changed < 0) {
                showActionMessage(tr("Could not change the status (see the log)."), false);
                return 0;
            }
            m_undoStates = before;
            showActionMessage(countText(changed, "%1 issue ", "%1 issues ") + changeText(change), changed > 0);
            return 0; // the row below takes the place of one that left the list (keepDetailOnTheList)
        });
}

QFuture<int> MainWindow::undoLastStatusChange()
{
    if (m_undoStates.isEmpty() || !m_issueModel)
        return QtFuture::makeReadyFuture(0);
    const QList<IssueStatusState> states = std::exchange(m_undoStates, {});
    const qint64 first = states.first().id;
    return runStatusWrite([states](IssueStatusChanger &statuses, QList<IssueStatusState> *,
                              QString *error) { return statuses.restore(states, error); },
        [this, first](int restored, const QList<IssueStatusState> &) -> qint64 {
            showActionMessage(restored < 0 ? tr("Could not undo (see the log).")
                                           : countText(restored, "%1 issue restored", "%1 issues restored"),
                false);
            return restored > 0 ? first : 0; // back where it was, selected once the list shows it again
        });
}

void MainWindow::showIssueThen(qint64 issueId, const std::function<void()> &shown)
{
    // The refresh that just landed read the list's rows: no second read, and no moment in which the
    // list shows the issue while another one is selected (a key pressed then would act on that one).
    if (const std::optional<IssueRow> listed = m_issueModel->issueAt(m_issueModel->rowOfIssue(issueId))) {
        showIssue(*listed);
    } else if (issueId) { // not in the list (another search meanwhile): shown in the detail alone
        openIssueThen(issueId, [shown](bool) { shown(); });
        return;
    }
    shown();
}

void MainWindow::showActionMessage(const QString &text, bool undoable)
{
    statusBar()->clearMessage(); // a temporary message would hide it
    m_actionMessage->setText(undoable
            ? QStringLiteral("%1 — <a href='undo'>%2</a>").arg(text.toHtmlEscaped(), tr("Undo"))
            : text.toHtmlEscaped());
    m_actionMessage->setToolTip(undoable ? tr("Undo (Ctrl+Z)") : QString());
    m_actionMessage->show();
    m_actionMessageTimer.start(undoable ? 15'000 : 6'000);
    updateActionsEnabled();
}

QWidget *MainWindow::openInNewWindow(const IssueRow &issue)
{
    auto *view = new IssueDetailView(*m_context.storage, this);
    view->setWindowFlag(Qt::Window);
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->setWindowTitle(tr("%1 — Faultline").arg(issue.title));
    view->resize(900, 760);
    view->setIssue(issue);
    view->show();
    return view;
}

QMenu *MainWindow::rowMenu()
{
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("issueRowMenu"));
    buildRowMenu(menu);
    return menu;
}

void MainWindow::buildRowMenu(QMenu *menu)
{
    addStatusActions(menu);
    menu->addSeparator();
    addGroupingActions(menu);
    menu->addSeparator();
    const QList<qint64> ids = actionTargets();
    const std::optional<IssueRow> shown = m_detail->issue();
    QAction *copyTitle = menu->addAction(tr("Copy Title"), this, [shown]() {
        if (shown)
            QApplication::clipboard()->setText(shown->title);
    });
    QAction *copyId = menu->addAction(tr("Copy Issue ID"), this, [ids]() {
        QStringList text;
        for (qint64 id : ids)
            text.append(QString::number(id));
        QApplication::clipboard()->setText(text.join(QLatin1Char(' ')));
    });
    copyId->setToolTip(tr("For the shell: faultline issue ID"));
    QAction *window = menu->addAction(tr("Open in New Window"), this, [this, shown]() {
        if (shown)
            openInNewWindow(*shown);
    });
    for (QAction *action : { copyTitle, window })
        action->setEnabled(shown.has_value() && ids.size() <= 1);
    copyId->setEnabled(!ids.isEmpty());
}

} // namespace faultline
