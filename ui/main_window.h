#pragma once
// The triage window: projects on the left, the searchable issue list (or the
// project's error pages) in the middle, the open issue on the right, live
// figures in the status bar.
#include "storage/event_writer.h"
#include "storage/issue_queries.h"
#include "storage/issue_status.h"
#include "ui/main_window_context.h"
#include "ui/triage/live_refresh.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QMainWindow>
#include <QPalette>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

class QAction;
class QLabel;
class QMenu;
class QMessageBox;
class QListView;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTabWidget;

namespace faultline {

class AlertSettingsDialog;
class GroupingRulesDialog;
class SplitIssueDialog;
class CollectorStatusBar;
class ConnectDialog;
class Database;
class DroppedEventsView;
class IssueDetailView;
class ProjectOverviewView;
class IssueListModel;
class IssueNotifier;
class PagesView;
class IssueMerger;
class IssueStatusChanger;
class ProjectListModel;
class QueryBar;
class SettingsDialog;
class SourceRootsDialog;
class SourceWorkspace;
class TrayIcon;
class WarningBanner;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(MainWindowContext context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // For the app's CLI and the tests: the parts, and the workflow as functions.
    QueryBar *queryBar() const { return m_queryBar; }
    QTableView *issueView() const { return m_issueView; }
    IssueListModel *issueModel() const { return m_issueModel; }
    QListView *projectView() const { return m_projectView; }
    ProjectListModel *projectModel() const { return m_projectModel; }
    IssueDetailView *detailView() const { return m_detail; }
    CollectorStatusBar *collectorStatusBar() const { return m_collectorBar; }
    IssueNotifier *notifier() const { return m_notifier; }
    TrayIcon *tray() const { return m_tray; }
    WarningBanner *refusalBanner() const { return m_refusalBanner; }
    WarningBanner *storageBanner() const { return m_storageBanner; }
    // The storage's own condition over what stays on screen ("Disconnected from PostgreSQL…,
    // retrying"), `detail` as its tooltip; empty hides it. For app/, which watches the connection.
    void setStorageWarning(const QString &text, const QString &detail = {});
    QTabWidget *centreTabs() const { return m_tabs; }
    PagesView *pagesView() const { return m_pagesView; }
    ProjectOverviewView *overviewView() const { return m_overview; }
    QWidget *emptyState() const { return m_emptyState; } // "waiting for the first event" + Connect
    QWidget *noMatchState() const { return m_noMatch; } // "No unresolved issues match … — clear filter"
    QLabel *staleLabel() const { return m_staleLabel; } // shown while the search does not parse
    QMenu *rowMenu(); // the context menu of the list's rows, built for the current selection
    QWidget *openInNewWindow(const IssueRow &issue); // reads the rest of it on its own
    QString openError() const { return m_openError; }

    QList<qint64> selectedIssueIds() const;
    void openCurrentIssue();
    // Status changes run on the storage writer (they may wait for the collector's lock); the future
    // finishes with the write's answer, statusChangeFinished once the list shows it. They act on what
    // the user sees: the selected rows, else the issue in the detail (a pending detail update is shown first).
    QFuture<int> setSelectedStatus(IssueStatus status);
    QFuture<int> changeSelectedStatus(const StatusChange &change);
    // Puts the issues of the last status change back as they were (Ctrl+Z, the message's "Undo"),
    // the first one selected and shown before statusChangeFinished.
    QFuture<int> undoLastStatusChange();
    bool canUndo() const { return !m_undoStates.isEmpty(); }
    QLabel *actionMessage() const { return m_actionMessage; } // "2 issues resolved — Undo"
    // Grouping (#13, main_window_grouping.cpp). Writes run on the same worker as status changes;
    // groupingChangeFinished(result) says when (result < 0: refused, the message says why).
    using GroupingWrite = std::function<qint64(StorageBackend &, QString *)>;
    QFuture<qint64> runGroupingWrite(
        const GroupingWrite &write, const std::function<void(qint64, const QString &)> &done);
    // Merges the selected issues into `into`, else the one with the most events; no question asked.
    QFuture<qint64> mergeSelectedIssues(qint64 into = 0);
    // The question "Merge…" asks first, naming the issue that stays (deleted on close); the
    // issues are read through the gateway first, so it is there when the future finishes.
    QFuture<QMessageBox *> mergeConfirmation(const QList<qint64> &ids);
    QFuture<qint64> splitIssue(qint64 issueId, const QString &hash);
    // For the issue in the detail, shown once its keys are read; non-modal, deleted on close.
    void openSplitDialog();
    GroupingRulesDialog *openGroupingRules(); // the project's merges and splits
    // The detail follows the current row after kDetailDelayMs (j held down opens nothing until
    // it is let go); this shows it now.
    void syncDetailNow();
    bool isDetailPending() const { return m_detailTimer.isActive(); }
    // The list's default search in every project until the user changes it there.
    static QString defaultQuery() { return QStringLiteral("is:unresolved"); }
    static constexpr int kDetailDelayMs = 90; // longer than key auto-repeat (25-40 ms), below notice
    bool isRefreshing() const { return m_liveReader && m_liveReader->isBusy(); } // a live read is running
    // Re-reads now (on the gateway's reader, like the live updates after new events, never on the GUI
    // thread); refreshed() says when it shows.
    void refreshNow();
    void copySelectedProjectDsn();
    qint64 selectedProjectId() const; // 0 = all projects
    void showIssues(); // Ctrl+1
    void showPages(); // Ctrl+2
    // Shows the issue in the detail (and selects it in the list when it is there), once read
    // through the gateway; the future says whether there was such an issue, after it shows.
    QFuture<bool> openIssue(qint64 issueId);
    // Non-modal, deleted on close; for an existing project when projectId > 0.
    ConnectDialog *openConnectDialog(qint64 projectId = 0);
    SettingsDialog *openSettingsDialog();
    // `o`: the detail's current frame in the user's editor; false (and a status message) when it has no file here.
    bool openCurrentFrameInEditor();
    SourceRootsDialog *openSourceRootsDialog(); // for the open issue's project, else the selected one
    AlertSettingsDialog *openAlertSettings(); // non-modal, deleted on close
    DroppedEventsView *openDroppedEvents(); // one window, raised when open already
    SourceWorkspace *sourceWorkspace() const { return m_sourceWorkspace; }

    static constexpr int kRefreshIntervalMs = 500; // at most ~2 list refreshes a second

    // Closing hides the window while this process collects (unless the setting says quit);
    // quit() is the explicit way out: it closes and emits quitRequested().
    void quit();
    void bringToFront();
    bool closesToBackground() const;
    // What a second launch hands over (faultline://issue/ID links): raises the window, opens the issue.
    void activate(const QStringList &arguments);
    // New events committed, by this process's writer or (viewer) a collector elsewhere.
    void onBatchCommitted(const faultline::BatchSummary &summary);

signals:
    void quitRequested(); // the app drains and exits
    void hiddenToBackground(); // closed, but the collector keeps running
    void statusChangeFinished(int changed); // once the list shows the change
    void groupingChangeFinished(qint64 result); // once the list shows the change
    void refreshed();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildCentre();
    void buildIssueList();
    void buildNoMatchState();
    void fitIssueColumns(); // hides the least needed columns while the title would get too little
    void buildMenus();
    void setUpTray(); // main_window_tray.cpp
    void tellOnceAboutBackground();
    void restoreSettings();
    void saveSettings() const;
    void scheduleRefresh();
    void startLiveRefresh(); // reads on m_liveReader's thread, applies when done
    // refreshNow(), then `applied` once a read that began after this call shows (a status change's
    // answer waits for the list to show it).
    void refreshThen(std::function<void()> applied);
    void onLiveReadFinished(const LiveSnapshot &snapshot);
    LiveRefreshRequest takeRefreshRequest(); // takes the pending notifications along
    void applyRefresh(const LiveSnapshot &snapshot);
    void moveCurrent(int delta);
    void applyFilter();
    void onProjectChanged(const QModelIndex &current);
    void reselectProject(); // after the project list was reset: the project shown, else All projects
    void rememberQuery() const;
    void updateProjectNames();
    static QString queryKey(qint64 projectId);
    void onCurrentRowChanged(const QModelIndex &current);
    void followCurrentRow();
    void keepDetailOnTheList();
    void selectAfterReset(); // after a refresh or a new search: the detail is a row of the list, or empty
    void onListReset(); // a new search's or sort's rows arrived
    QList<qint64> actionTargets();
    void showActionMessage(const QString &text, bool undoable);
    // Status changes through IssueStatusChanger: on SQLite and PostgreSQL.
    using StatusWrite = std::function<int(IssueStatusChanger &, QList<IssueStatusState> *, QString *)>;
    // Runs with the write's answer (changed < 0: it failed) and the issues as they were; returns the
    // issue to show once the list shows the change, or 0 for none.
    using StatusWriteDone = std::function<qint64(int changed, const QList<IssueStatusState> &before)>;
    QFuture<int> runStatusWrite(const StatusWrite &write, const StatusWriteDone &done);
    // openIssue() with a callback: `done` runs here once the issue shows (true) or was not found
    // (false), not at all if the window goes first. For callers that are callbacks themselves:
    // nothing to chain onto a future with then().
    void openIssueThen(qint64 issueId, std::function<void(bool shown)> done);
    // showIssue() from the list's rows when it holds the issue, else openIssueThen(); then `shown`.
    void showIssueThen(qint64 issueId, const std::function<void()> &shown);
    // The issues as stored now, read on the gateway's reader; `done` runs here (not at all if the
    // window goes first) with those that exist, in the order asked.
    void readIssues(const QList<qint64> &ids, std::function<void(const QList<IssueRow> &)> done);
    bool showIssue(const IssueRow &issue); // openIssueThen() once read
    QMessageBox *mergeQuestion(const QList<IssueRow> &issues);
    // Merge and split through IssueMerger, on SQLite and PostgreSQL; answered like runGroupingWrite.
    using MergerWrite = std::function<qint64(IssueMerger &, QString *)>;
    QFuture<qint64> runMergerWrite(const MergerWrite &write, const std::function<void(qint64, const QString &)> &done);
    struct GroupingWriteOutcome {
        qint64 result = -1; // < 0: refused, `error` says why
        QString error;
    };
    // Runs `write` on the storage writer; its result as the future and to `done`, here.
    QFuture<qint64> deliverGroupingWrite(const std::function<GroupingWriteOutcome(StorageBackend &)> &write,
        const std::function<void(qint64, const QString &)> &done);
    void updateActionsEnabled();
    void buildRowMenu(QMenu *menu);
    void addStatusActions(QMenu *menu);
    void addGroupingActions(QMenu *menu); // Merge…, Split Off a Grouping Key…
    void addHeaderButtons();
    void updateCountLabel(qint64 total);
    void updateEmptyState();
    void syncPages(); // the Pages tab follows the project and new events while it is shown

    MainWindowContext m_context;
    QString m_openError;

    QueryBar *m_queryBar = nullptr;
    QTableView *m_issueView = nullptr;
    QListView *m_projectView = nullptr;
    QLabel *m_countLabel = nullptr;
    QSplitter *m_splitter = nullptr;
    QTabWidget *m_tabs = nullptr;
    QStackedWidget *m_issueStack = nullptr; // the list, or the empty state
    QWidget *m_emptyState = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QWidget *m_noMatch = nullptr;
    QLabel *m_noMatchLabel = nullptr;
    QLabel *m_staleLabel = nullptr;
    QLabel *m_actionMessage = nullptr;
    QTimer m_actionMessageTimer;
    QTimer m_detailTimer;
    qint64 m_listProjectId = 0; // the project the list is filtered to (0 = all)
    int m_lastCurrentRow = 0;
    bool m_detailFollowsList = true; // false while it shows an issue opened from elsewhere (Pages)
    bool m_detailAwaitsRow = false; // the current row's page was not read yet when the detail came to follow it
    QList<IssueStatusState> m_undoStates; // the last status change, as it was before
    QList<QAction *> m_issueActions; // need an issue: disabled when none is selected or shown
    QAction *m_undoAction = nullptr;
    QAction *m_resolveAction = nullptr;
    QAction *m_resolveNextAction = nullptr;
    QAction *m_ignoreAction = nullptr;
    QAction *m_unresolveAction = nullptr;
    QMenu *m_ignoreMenu = nullptr;
    PagesView *m_pagesView = nullptr;
    ProjectOverviewView *m_overview = nullptr;
    bool m_pagesStale = true;
    QPalette m_systemPalette; // what the System theme restores
    IssueListModel *m_issueModel = nullptr;
    ProjectListModel *m_projectModel = nullptr;
    IssueDetailView *m_detail = nullptr;
    SourceWorkspace *m_sourceWorkspace = nullptr;
    CollectorStatusBar *m_collectorBar = nullptr;
    IssueNotifier *m_notifier = nullptr;
    TrayIcon *m_tray = nullptr;
    QPointer<DroppedEventsView> m_droppedEvents;
    WarningBanner *m_storageBanner = nullptr; // PostgreSQL: disconnected, retrying
    WarningBanner *m_refusalBanner = nullptr; // the collector refuses every event: disk space, a damaged database
    bool m_quitting = false;

    LiveReader *m_liveReader = nullptr;
    quint64 m_refreshSerial = 0;
    bool m_refreshAgain = false; // events arrived while a live read ran
    bool m_refreshNowAgain = false; // refreshNow() while a live read ran: the next one starts at once
    QList<std::function<void()>> m_afterNextRead; // refreshThen()'s callbacks for the read that starts next
    QList<std::function<void()>> m_afterThisRead; // … and for the read running now
    QTimer m_refreshTimer;
    QTimer m_clockTimer; // "3 min ago" ages even without new events
    QElapsedTimer m_sinceRefresh;
    LiveRefreshRequest m_pendingNews; // issue ids of committed batches not yet read for notifying
};

} // namespace faultline
