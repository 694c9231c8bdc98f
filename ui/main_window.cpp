#include "ui/main_window.h"
#include "ui/triage/plural.h"

#include "model/collector_address.h"
#include "storage/backend.h"
#include "storage/database.h"
#include "storage/project_store.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "ui/alert_settings_dialog.h"
#include "ui/app_settings.h"
#include "ui/collector_status_bar.h"
#include "ui/connect_dialog.h"
#include "ui/dropped_events_view.h"
#include "ui/event_view.h"
#include "ui/exception_view.h"
#include "ui/issue_delegate.h"
#include "ui/issue_detail_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/issue_notifier.h"
#include "ui/pages_view.h"
#include "ui/project_delegate.h"
#include "ui/project_overview_view.h"
#include "ui/query_bar.h"
#include "ui/settings_dialog.h"
#include "ui/source_roots_dialog.h"
#include "ui/source_workspace.h"
#include "ui/tray_icon.h"
#include "ui/triage/issue_list_model.h"
#include "ui/triage/pages_model.h"
#include "ui/triage/project_list_model.h"
#include "ui/warning_banner.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPromise>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace faultline {

MainWindow::MainWindow(MainWindowContext context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(std::move(context))
{
    setWindowTitle(tr("Faultline"));
    setObjectName(QStringLiteral("faultlineMainWindow"));
    m_systemPalette = QApplication::palette();
    if (const Theme theme = AppSettings::load().theme; theme != Theme::System)
        applyTheme(theme, m_systemPalette);

    // An unreadable SQLite file says so in place of the panes (PostgreSQL is checked at start, in
    // app/); every read and write of the window goes through m_context.storage's threads, on SQLite
    // and PostgreSQL alike.
    StorageResult<std::unique_ptr<Database>> opened = m_context.storage->isPostgres()
        ? StorageResult<std::unique_ptr<Database>>(std::unique_ptr<Database>())
        : Database::openChecked(m_context.storage->path(), Database::Mode::ReadOnly);
    if (!opened) {
        m_openError = opened.error().detail;
        auto *label = new QLabel(tr("Could not open the database %1:\n%2").arg(m_context.dbPath, m_openError), this);
        label->setAlignment(Qt::AlignCenter);
        setCentralWidget(label);
        buildMenus();
        return;
    }

    buildCentre();
    buildMenus();

    // What the last action did, with its undo; a normal (left) status bar widget, so it stays.
    m_actionMessage = new QLabel(this);
    m_actionMessage->setObjectName(QStringLiteral("actionMessage"));
    m_actionMessage->setTextFormat(Qt::RichText);
    m_actionMessage->hide();
    statusBar()->addWidget(m_actionMessage, 1);
    connect(m_actionMessage, &QLabel::linkActivated, this, [this]() { undoLastStatusChange(); });
    m_actionMessageTimer.setSingleShot(true);
    connect(&m_actionMessageTimer, &QTimer::timeout, m_actionMessage, &QWidget::hide);

    m_collectorBar = new CollectorStatusBar(m_context, this);
    statusBar()->addPermanentWidget(m_collectorBar);
    connect(m_collectorBar, &CollectorStatusBar::addressClicked, this, &MainWindow::copySelectedProjectDsn);
    connect(m_collectorBar, &CollectorStatusBar::rejectedClicked, this, &MainWindow::openDroppedEvents);
    const auto showRefusal = [this](const QString &problem, int status) {
        m_refusalBanner->setMessage(problem.isEmpty() ? QString()
                                                      : tr("Not collecting: %1. Services get %2 and their events "
                                                           "are lost until then.")
                                                            .arg(problem)
                                                            .arg(status));
    };
    connect(m_collectorBar, &CollectorStatusBar::refusingChanged, this, showRefusal);
    showRefusal(
        m_collectorBar->refusing(), m_collectorBar->refusingStatus()); // its first poll ran before the connection

    setUpTray();

    m_liveReader = new LiveReader(*m_context.storage, this);
    connect(m_liveReader, &LiveReader::finished, this, &MainWindow::onLiveReadFinished);
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &MainWindow::startLiveRefresh);
    m_clockTimer.setInterval(30'000);
    connect(&m_clockTimer, &QTimer::timeout, m_issueView->viewport(), qOverload<>(&QWidget::update));
    m_clockTimer.start();
    m_sinceRefresh.start();

    if (m_context.writer)
        connect(
            m_context.writer, &EventWriter::batchCommitted, this, &MainWindow::onBatchCommitted, Qt::QueuedConnection);

    restoreSettings();
    refreshNow(); // the projects and their counts, read on the gateway like every refresh
}

MainWindow::~MainWindow() = default; // writes in flight land on the gateway's writer; their answers are dropped

void MainWindow::buildCentre()
{
    m_projectModel = new ProjectListModel(this);
    connect(m_projectModel, &QAbstractItemModel::modelReset, this, &MainWindow::reselectProject);
    m_projectView = new QListView(this);
    m_projectView->setObjectName(QStringLiteral("projectList"));
    m_projectView->setModel(m_projectModel);
    m_projectView->setItemDelegate(new ProjectDelegate(m_projectView));
    m_projectView->setCurrentIndex(m_projectModel->index(0));
    m_projectView->setMinimumWidth(160);

    buildIssueList();

    m_queryBar = new QueryBar(this);
    m_countLabel = new QLabel(this);
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);

    // A project that has not reported yet gets the way to connect it instead of an empty list.
    m_emptyState = new QWidget(this);
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyLabel = new QLabel(m_emptyState);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setTextFormat(Qt::PlainText);
    auto *connectButton = new QPushButton(tr("Connect a service…"), m_emptyState);
    connectButton->setObjectName(QStringLiteral("emptyStateConnect"));
    connectButton->setDefault(true);
    auto *emptyLayout = new QVBoxLayout(m_emptyState);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_emptyLabel);
    emptyLayout->addWidget(connectButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(2);
    connect(connectButton, &QPushButton::clicked, this, [this]() { openConnectDialog(selectedProjectId()); });
    m_issueStack = new QStackedWidget(this);
    m_issueStack->addWidget(m_issueView);
    m_issueStack->addWidget(m_emptyState);
    buildNoMatchState();
    m_issueStack->addWidget(m_noMatch);

    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(6, 6, 6, 0);
    centreLayout->setSpacing(4);
    centreLayout->addWidget(m_queryBar);
    centreLayout->addWidget(m_staleLabel);
    centreLayout->addWidget(m_issueStack, 1);
    centreLayout->addWidget(m_countLabel);

    m_pagesView = new PagesView(*m_context.storage, this);
    m_pagesView->setObjectName(QStringLiteral("pagesView"));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("centreTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(centre, tr("Issues"));
    m_tabs->addTab(m_pagesView, tr("Pages"));
    m_tabs->setTabToolTip(0, tr("The project's issues (Ctrl+1)"));
    m_tabs->setTabToolTip(1, tr("The error pages the project's users saw (Ctrl+2)"));
    m_overview = new ProjectOverviewView(*m_context.storage, m_context.collectorStatus, this);
    m_tabs->addTab(m_overview, tr("Overview"));
    m_tabs->setTabToolTip(2, tr("Every project's last day: events per hour, new issues, rejected events"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_overview)
            m_overview->refresh();
    });
    connect(m_overview, &ProjectOverviewView::issueActivated, this, [this](qint64 issueId) {
        showIssues();
        openIssue(issueId);
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::syncPages);
    connect(m_pagesView, &PagesView::issueActivated, this, [this](qint64 issueId) {
        showIssues();
        openIssue(issueId);
    });

    m_detail = new IssueDetailView(*m_context.storage, this);
    m_detail->setObjectName(QStringLiteral("issueDetail"));
    m_sourceWorkspace = new SourceWorkspace(*m_context.storage, this);
    connect(m_sourceWorkspace, &SourceWorkspace::storeFailed, this, [this](const QString &error) {
        statusBar()->showMessage(
            tr("Could not store the source roots or replay URL: %1").arg(shortErrorText(error)), 10000);
    });
    m_detail->setSourceWorkspace(m_sourceWorkspace);
    m_detail->scrollArea()->installEventFilter(this);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_projectView);
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 1);
    m_splitter->setSizes({ 170, 700, 700 }); // the list as wide as the detail: triage reads both
    m_splitter->setChildrenCollapsible(false);
    m_refusalBanner = new WarningBanner(tr("Settings…"), this);
    connect(m_refusalBanner, &WarningBanner::actionClicked, this, [this]() { openSettingsDialog(); });
    auto *bannerAndPanes = new QWidget(this);
    auto *bannerLayout = new QVBoxLayout(bannerAndPanes);
    bannerLayout->setContentsMargins(0, 0, 0, 0);
    bannerLayout->setSpacing(0);
    m_storageBanner = new WarningBanner(QString(), this);
    bannerLayout->addWidget(m_storageBanner);
    bannerLayout->addWidget(m_refusalBanner);
    bannerLayout->addWidget(m_splitter, 1);
    setCentralWidget(bannerAndPanes);

    connect(m_queryBar, &QueryBar::queryChanged, this, [this]() {
        rememberQuery();
        applyFilter();
    });
    connect(m_queryBar, &QueryBar::validityChanged, this, [this](bool valid) {
        // The list keeps the last good results; they must not pass for the typed search's.
        m_staleLabel->setVisible(!valid);
        m_issueStack->setEnabled(valid);
    });
    connect(m_projectView->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onProjectChanged);
    // The detail is the current row, whether it moved by key, click, search or refresh.
    m_detailTimer.setSingleShot(true);
    m_detailTimer.setInterval(kDetailDelayMs);
    connect(&m_detailTimer, &QTimer::timeout, this, &MainWindow::followCurrentRow);
    connect(m_issueModel, &IssueListModel::loaded, this, [this]() {
        if (std::exchange(m_detailAwaitsRow, false))
            followCurrentRow();
    });
    connect(m_issueView->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex &current) { onCurrentRowChanged(current); });
    connect(
        m_issueView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActionsEnabled);
    connect(m_issueView, &QTableView::activated, this, &MainWindow::openCurrentIssue);
    connect(m_issueView, &QTableView::clicked, this, [this](const QModelIndex &) {
        syncDetailNow(); // nothing to wait for after a click
        m_issueView->setFocus(); // a click keeps the list in charge of the keyboard
    });
    m_issueView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_issueView, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_issueView->indexAt(pos);
        if (index.isValid() && !m_issueView->selectionModel()->isRowSelected(index.row(), {}))
            m_issueView->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        syncDetailNow();
        QMenu *menu = rowMenu();
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_issueView->viewport()->mapToGlobal(pos));
    });
    connect(m_issueModel, &IssueListModel::totalChanged, this, &MainWindow::updateCountLabel);
    connect(m_issueModel, &QAbstractItemModel::modelReset, this, &MainWindow::onListReset);
    connect(m_detail, &IssueDetailView::tagClicked, this,
        [this](const QString &key, const QString &value) { m_queryBar->appendTerm(key + QLatin1Char(':') + value); });
    updateProjectNames();
    {
        const QSignalBlocker quiet(m_queryBar); // applied once, below
        m_queryBar->setText(QSettings().value(queryKey(0), defaultQuery()).toString());
    }
    applyFilter(); // the count shows with the rows (totalChanged)
    m_issueView->setFocus();
}

qint64 MainWindow::selectedProjectId() const
{
    if (!m_projectView)
        return 0;
    const QModelIndex project = m_projectView->currentIndex();
    return project.isValid() ? project.data(ProjectListModel::ProjectIdRole).toLongLong() : 0;
}

void MainWindow::syncPages()
{
    // The issue detail belongs to Issues: Pages needs the room for its list and the page as rendered,
    // the Overview for its titles (at 1000 px they were cut beside an empty detail).
    if (m_detail && m_tabs)
        m_detail->setVisible(m_tabs->currentIndex() == 0);
    if (!m_pagesView || m_tabs->currentWidget() != m_pagesView)
        return;
    const qint64 projectId = selectedProjectId();
    if (m_pagesView->model()->project() != projectId)
        m_pagesView->setProject(projectId);
    else if (m_pagesStale)
        m_pagesView->refresh();
    m_pagesStale = false;
}

void MainWindow::showIssues()
{
    if (m_tabs)
        m_tabs->setCurrentIndex(0);
    if (m_issueView)
        m_issueView->setFocus();
}

void MainWindow::showPages()
{
    if (m_tabs)
        m_tabs->setCurrentWidget(m_pagesView);
}

QFuture<bool> MainWindow::openIssue(qint64 issueId)
{
    auto promise = std::make_shared<QPromise<bool>>();
    promise->start();
    QFuture<bool> opened = promise->future();
    // A promise dropped unfinished (the window went first) cancels the future.
    openIssueThen(issueId, [promise](bool shown) {
        promise->addResult(shown);
        promise->finish();
    });
    return opened;
}

void MainWindow::openIssueThen(qint64 issueId, std::function<void(bool shown)> done)
{
    readIssues({ issueId }, [this, done = std::move(done)](const QList<IssueRow> &issues) {
        done(!issues.isEmpty() && showIssue(issues.first()));
    });
}

void MainWindow::readIssues(const QList<qint64> &ids, std::function<void(const QList<IssueRow> &)> done)
{
    m_context.storage->read(
        [ids](StorageBackend &backend) {
            QList<IssueRow> issues;
            for (qint64 id : ids)
                if (StorageResult<IssueRow> issue = backend.issues().byId(id))
                    issues.append(std::move(*issue));
            return issues;
        },
        this,
        [this, done = std::move(done)](const StorageResult<QList<IssueRow>> &read) {
            if (!read)
                statusBar()->showMessage(
                    tr("Could not read the issue: %1").arg(storageErrorShortText(read.error())), 8000);
            done(read ? *read : QList<IssueRow>());
        });
}

bool MainWindow::showIssue(const IssueRow &issue)
{
    if (!m_issueModel)
        return false;
    const qint64 issueId = issue.id;
    const int row = m_issueModel->rowOfIssue(issueId);
    if (row >= 0) {
        const QModelIndex target = m_issueModel->index(row, IssueListModel::TitleColumn);
        m_issueView->selectionModel()->setCurrentIndex(
            target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_issueView->scrollTo(target);
    } else {
        // Not a row of the list (filtered out, or not paged in): no row stays highlighted, so
        // what the user sees, and acts on, is this issue alone.
        m_issueView->selectionModel()->clear();
    }
    m_detailTimer.stop();
    m_detail->setIssue(issue);
    m_detailFollowsList = row >= 0;
    updateActionsEnabled();
    return true;
}

ConnectDialog *MainWindow::openConnectDialog(qint64 projectId)
{
    // A viewer of PostgreSQL runs no collector and cannot know where the team's collectors (or their load
    // balancer) listen: the snippets then name a place to fill in rather than print "http://KEY@/1".
    const QString hostPort = !m_context.collectorHostPort.isEmpty()
        ? m_context.collectorHostPort
        : QStringLiteral("your-collector-host:%1").arg(kDefaultCollectorPort);
    auto *dialog = new ConnectDialog(*m_context.storage, hostPort, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (const int row = projectId > 0 && m_projectModel ? m_projectModel->rowOfProject(projectId) : -1; row >= 0)
        if (const std::optional<Project> project = m_projectModel->projectAt(row))
            dialog->forProject(*project);
    if (m_context.writer)
        connect(m_context.writer, &EventWriter::batchCommitted, dialog, &ConnectDialog::onBatchCommitted,
            Qt::QueuedConnection);
    auto projectsChanged = [this](qint64 changedId) {
        refreshThen([this, changedId]() { // selected once the list shows it
            const int row = m_projectModel->rowOfProject(changedId);
            if (row >= 0)
                m_projectView->setCurrentIndex(m_projectModel->index(row));
        });
    };
    connect(dialog, &ConnectDialog::projectCreated, this, projectsChanged);
    connect(dialog, &ConnectDialog::keyRotated, this, [this]() { refreshNow(); });
    connect(dialog, &ConnectDialog::projectDeleted, this, [this]() { refreshNow(); });
    connect(dialog, &ConnectDialog::firstEventReceived, this, [this]() { refreshNow(); });
    dialog->show();
    return dialog;
}

SettingsDialog *MainWindow::openSettingsDialog()
{
    const QList<Project> projects = m_projectModel ? m_projectModel->projects() : QList<Project>();
    auto *dialog = new SettingsDialog(*m_context.storage, projects, selectedProjectId(), m_systemPalette, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::notificationRulesChanged, m_notifier, &IssueNotifier::setRules);
    dialog->setThisProcessCollects(m_context.collectsInProcess);
    dialog->show();
    return dialog;
}

bool MainWindow::openCurrentFrameInEditor()
{
    if (m_detail && m_detail->issue() && m_detail->eventView()->exceptionView()->openCurrentFrame())
        return true;
    statusBar()->showMessage(tr("This frame has no file on this machine: set up source roots in Issue ▸ Source "
                                "Roots and Editor."),
        8000);
    return false;
}

SourceRootsDialog *MainWindow::openSourceRootsDialog()
{
    if (!m_sourceWorkspace)
        return nullptr;
    const qint64 projectId = m_detail && m_detail->issue() ? m_detail->issue()->projectId : selectedProjectId();
    if (projectId <= 0) {
        statusBar()->showMessage(tr("Select a project first."), 6000);
        return nullptr;
    }
    m_sourceWorkspace->setProject(projectId);
    return SourceRootsDialog::openFor(m_sourceWorkspace, this);
}

AlertSettingsDialog *MainWindow::openAlertSettings()
{
    const QList<Project> projects = m_projectModel ? m_projectModel->projects() : QList<Project>();
    const qint64 projectId = m_detail && m_detail->issue() ? m_detail->issue()->projectId : selectedProjectId();
    auto *dialog = new AlertSettingsDialog(*m_context.storage, projects, projectId, m_context.sendTestAlert, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

DroppedEventsView *MainWindow::openDroppedEvents()
{
    if (!m_droppedEvents) {
        m_droppedEvents = new DroppedEventsView(*m_context.storage, this);
        m_droppedEvents->setAttribute(Qt::WA_DeleteOnClose);
    } else {
        m_droppedEvents->refresh();
    }
    m_droppedEvents->show();
    m_droppedEvents->raise();
    m_droppedEvents->activateWindow();
    return m_droppedEvents;
}

void MainWindow::updateCountLabel(qint64 total) { m_countLabel->setText(countText(total, "%1 issue", "%1 issues")); }

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (m_issueView && watched == m_issueView->viewport() && event->type() == QEvent::Resize)
        fitIssueColumns();
    if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool plain = !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
        if (watched == m_issueView && plain && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            openCurrentIssue();
            return true;
        }
        if (m_detail && watched == m_detail->scrollArea() && plain && key->key() == Qt::Key_Escape) {
            m_issueView->setFocus();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::setStorageWarning(const QString &text, const QString &detail)
{
    if (!m_storageBanner)
        return; // the database never opened: the window says so instead of the panes
    m_storageBanner->setMessage(text);
    m_storageBanner->setToolTip(detail);
}

void MainWindow::onBatchCommitted(const BatchSummary &summary)
{
    // Bounded: past what one refresh reads for notifying, more ids would only be dropped there.
    const auto keep = [](QList<qint64> &pending, const QList<qint64> &ids) {
        for (qint64 id : ids)
            if (pending.size() < kMaxNewsPerRefresh && !pending.contains(id))
                pending.append(id);
    };
    keep(m_pendingNews.newIssueIds, summary.newIssueIds);
    keep(m_pendingNews.regressedIssueIds, summary.regressedIssueIds);
    keep(m_pendingNews.escalatedIssueIds, summary.escalatedIssueIds);
    scheduleRefresh();
}

void MainWindow::scheduleRefresh()
{
    if (m_liveReader->isBusy()) {
        m_refreshAgain = true; // one more when this read is done, never two at once
        return;
    }
    if (m_refreshTimer.isActive())
        return;
    // Leading edge when idle (the first event shows at once), then at most one per interval.
    const qint64 wait = qMax<qint64>(0, kRefreshIntervalMs - m_sinceRefresh.elapsed());
    m_refreshTimer.start(int(wait));
}

void MainWindow::startLiveRefresh()
{
    if (!m_issueModel)
        return;
    if (m_liveReader->isBusy()) {
        m_refreshAgain = true;
        return;
    }
    m_afterThisRead += std::exchange(m_afterNextRead, {});
    m_liveReader->start(takeRefreshRequest());
}

void MainWindow::refreshNow() { refreshThen({}); }

void MainWindow::refreshThen(std::function<void()> applied)
{
    if (applied)
        m_afterNextRead.append(std::move(applied));
    if (!m_issueModel) {
        for (const auto &callback : std::exchange(m_afterNextRead, {}))
            callback();
        return;
    }
    if (m_liveReader->isBusy()) {
        // The running read may have begun before what the caller wants shown (a write) landed.
        m_refreshNowAgain = true;
        return;
    }
    startLiveRefresh();
}

void MainWindow::onLiveReadFinished(const LiveSnapshot &snapshot)
{
    applyRefresh(snapshot);
    const QList<std::function<void()>> applied = std::exchange(m_afterThisRead, {});
    if (std::exchange(m_refreshNowAgain, false)) {
        m_refreshAgain = false;
        startLiveRefresh();
    } else if (std::exchange(m_refreshAgain, false)) {
        scheduleRefresh();
    }
    for (const auto &callback : applied)
        callback();
}

LiveRefreshRequest MainWindow::takeRefreshRequest()
{
    m_refreshTimer.stop();
    m_sinceRefresh.restart();
    LiveRefreshRequest request;
    request.serial = ++m_refreshSerial;
    request.issues = m_issueModel->refreshRequest();
    request.projectCounts = m_projectModel->counts();
    request.detailIssueId = m_detail->issue() ? m_detail->issue()->id : 0;
    request.detailChartRange
        = IssueHistogramView::rangeFor(m_detail->histogramView()->span(), QDateTime::currentMSecsSinceEpoch());
    if (m_tabs->currentWidget() == m_pagesView)
        request.pagesProject = m_pagesView->model()->project();
    request.newIssueIds = std::exchange(m_pendingNews.newIssueIds, {});
    request.regressedIssueIds = std::exchange(m_pendingNews.regressedIssueIds, {});
    request.escalatedIssueIds = std::exchange(m_pendingNews.escalatedIssueIds, {});
    return request;
}

void MainWindow::applyRefresh(const LiveSnapshot &snapshot)
{
    if (!snapshot.error.isEmpty()) {
        statusBar()->showMessage(tr("Live updates stopped: %1").arg(shortErrorText(snapshot.error)), 8000);
    } else if (snapshot.serial == m_refreshSerial) { // else a newer refresh already showed more
        m_issueModel->applyRefresh(snapshot.issues);
        m_projectModel->apply(snapshot.projects);
        updateProjectNames();
        keepDetailOnTheList();
        updateEmptyState();
        m_pagesStale = true;
        if (snapshot.pages && m_tabs->currentWidget() == m_pagesView
            && snapshot.pages->projectId == m_pagesView->model()->project()) {
            m_pagesView->apply(*snapshot.pages);
            m_pagesStale = false;
        }
        syncPages(); // the project changed meanwhile, or the tab was opened
        if (snapshot.detail)
            m_detail->applyUpdate(*snapshot.detail);
    }
    // The tray lists the new issues the rules want, paused or not: a pause silences, it does not hide.
    for (const IssueNews &news : m_notifier->notifyNews(snapshot.news))
        if (news.trigger == AlertTrigger::NewIssue)
            m_tray->addRecentIssue({ news.issue.issueId, news.issue.title });
    emit refreshed();
}

void MainWindow::copySelectedProjectDsn()
{
    if (!m_projectModel)
        return;
    const QModelIndex current = m_projectView->currentIndex();
    std::optional<Project> project = m_projectModel->projectAt(current.isValid() ? current.row() : 0);
    if (!project && !m_projectModel->projects().isEmpty())
        project = m_projectModel->projects().first();
    if (!project || m_context.collectorHostPort.isEmpty()) {
        statusBar()->showMessage(tr("No project or collector to build a DSN for."), 4000);
        return;
    }
    const QString dsn = ProjectStore::dsn(*project, m_context.collectorHostPort);
    QApplication::clipboard()->setText(dsn);
    statusBar()->showMessage(tr("Copied the DSN of %1: %2").arg(project->name, dsn), 6000);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    if (m_splitter)
        m_splitter->restoreState(settings.value(QStringLiteral("mainWindow/splitter")).toByteArray());
    if (m_issueView) {
        m_issueView->horizontalHeader()->restoreState(settings.value(QStringLiteral("issueList/header")).toByteArray());
        // The saved sort indicator must match what the model sorts by.
        m_issueModel->sort(m_issueView->horizontalHeader()->sortIndicatorSection(),
            m_issueView->horizontalHeader()->sortIndicatorOrder());
        m_issueView->horizontalHeader()->setSortIndicator(m_issueModel->sortColumn(), m_issueModel->sortOrder());
        m_issueView->setColumnHidden(IssueListModel::StatusColumn, true); // a header saved by an older version shows it
        fitIssueColumns();
    }
    if (!settings.contains(QStringLiteral("mainWindow/geometry")))
        resize(1500, 900);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    if (m_splitter)
        settings.setValue(QStringLiteral("mainWindow/splitter"), m_splitter->saveState());
    if (m_issueView)
        settings.setValue(QStringLiteral("issueList/header"), m_issueView->horizontalHeader()->saveState());
}

} // namespace faultline
