#include "ui/main_window.h"
#include "ui/plural.h"

#include "storage/database.h"
#include "storage/event_queries.h"
#include "storage/grouping_queries.h"
#include "storage/issue_histogram.h"
#include "storage/page_queries.h"
#include "storage/project_store.h"
#include "ui/alert_settings_dialog.h"
#include "ui/app_settings.h"
#include "ui/collector_status_bar.h"
#include "ui/dropped_events_view.h"
#include "ui/connect_dialog.h"
#include "ui/issue_delegate.h"
#include "ui/issue_detail_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/issue_list_model.h"
#include "ui/issue_notifier.h"
#include "ui/pages_model.h"
#include "ui/pages_view.h"
#include "ui/project_delegate.h"
#include "ui/project_overview_view.h"
#include "ui/project_list_model.h"
#include "ui/query_bar.h"
#include "ui/settings_dialog.h"
#include "ui/event_view.h"
#include "ui/exception_view.h"
#include "ui/source_roots_dialog.h"
#include "ui/source_workspace.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace faultline {

MainWindow::MainWindow(MainWindowContext context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(std::move(context))
{
    setWindowTitle(tr("Faultline"));
    setObjectName(QStringLiteral("faultlineMainWindow"));
    m_writePool.setMaxThreadCount(1); // status changes apply in the order they were asked for
    m_systemPalette = QApplication::palette();
    if (const Theme theme = AppSettings::load().theme; theme != Theme::System)
        applyTheme(theme, m_systemPalette);

    m_readDb = Database::open(m_context.dbPath, Database::Mode::ReadOnly, &m_openError);
    if (!m_readDb) {
        auto *label = new QLabel(tr("Could not open the database %1:\n%2").arg(m_context.dbPath, m_openError), this);
        label->setAlignment(Qt::AlignCenter);
        setCentralWidget(label);
        buildMenus();
        return;
    }
    m_issueQueries = std::make_unique<IssueQueries>(*m_readDb);
    m_eventQueries = std::make_unique<EventQueries>(*m_readDb);
    m_projectStore = std::make_unique<ProjectStore>(*m_readDb);
    m_pageQueries = std::make_unique<PageQueries>(*m_readDb);
    m_groupingQueries = std::make_unique<GroupingQueries>(*m_readDb);
    m_histogramQueries = std::make_unique<IssueHistogramQueries>(*m_readDb);
    m_summaryQueries = std::make_unique<IssueSummaryQueries>(*m_readDb);

    buildCentre();
    buildMenus();

    m_collectorBar = new CollectorStatusBar(m_context, m_readDb.get(), this);
    statusBar()->addPermanentWidget(m_collectorBar);
    connect(m_collectorBar, &CollectorStatusBar::addressClicked, this, &MainWindow::copySelectedProjectDsn);
    connect(m_collectorBar, &CollectorStatusBar::rejectedClicked, this, &MainWindow::openDroppedEvents);

    setUpTray();

    m_liveReader = new LiveReader(m_context.dbPath, this);
    connect(m_liveReader, &LiveReader::finished, this, [this](const LiveSnapshot &snapshot) {
        applyRefresh(snapshot);
        if (std::exchange(m_refreshAgain, false))
            scheduleRefresh();
    });
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
}

MainWindow::~MainWindow()
{
    m_writePool.waitForDone(); // a status change in flight uses m_writeDb
}

void MainWindow::buildCentre()
{
    m_projectModel = new ProjectListModel(m_projectStore.get(), m_issueQueries.get(), this);
    m_projectView = new QListView(this);
    m_projectView->setObjectName(QStringLiteral("projectList"));
    m_projectView->setModel(m_projectModel);
    m_projectView->setItemDelegate(new ProjectDelegate(m_projectView));
    m_projectView->setCurrentIndex(m_projectModel->index(0));
    m_projectView->setMinimumWidth(160);

    m_issueModel = new IssueListModel(m_issueQueries.get(), m_histogramQueries.get(), this);
    m_issueView = new QTableView(this);
    m_issueView->setObjectName(QStringLiteral("issueList"));
    m_issueView->setModel(m_issueModel);
    m_issueView->setItemDelegate(new IssueDelegate(m_issueView));
    m_issueView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_issueView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_issueView->setShowGrid(false);
    m_issueView->setWordWrap(false);
    m_issueView->setAlternatingRowColors(true);
    m_issueView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_issueView->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed row heights: the view never asks 50,000 rows for their size.
    m_issueView->verticalHeader()->hide();
    m_issueView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_issueView->verticalHeader()->setDefaultSectionSize(IssueDelegate::rowHeight(m_issueView->fontMetrics()));
    QHeaderView *header = m_issueView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(IssueListModel::TitleColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(IssueListModel::LevelColumn, QHeaderView::Fixed);
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_issueView->setColumnWidth(IssueListModel::LevelColumn, 26);
    m_issueView->setColumnWidth(IssueListModel::EventsColumn, 70);
    m_issueView->setColumnWidth(IssueListModel::TrendColumn, 96); // 24 bars of 3 px and their gaps
    m_issueView->setColumnWidth(IssueListModel::FirstSeenColumn, 95);
    m_issueView->setColumnWidth(IssueListModel::LastSeenColumn, 95);
    m_issueView->setColumnWidth(IssueListModel::StatusColumn, 100);
    header->setSortIndicator(IssueListModel::LastSeenColumn, Qt::DescendingOrder);
    m_issueView->setSortingEnabled(true);
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this, header](int column, Qt::SortOrder) {
        // Only the columns storage can order by take the indicator.
        if (column != m_issueModel->sortColumn() || header->sortIndicatorOrder() != m_issueModel->sortOrder())
            header->setSortIndicator(m_issueModel->sortColumn(), m_issueModel->sortOrder());
    });
    m_issueView->installEventFilter(this);

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

    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(6, 6, 6, 0);
    centreLayout->setSpacing(4);
    centreLayout->addWidget(m_queryBar);
    centreLayout->addWidget(m_issueStack, 1);
    centreLayout->addWidget(m_countLabel);

    m_pagesView = new PagesView(m_pageQueries.get(), this);
    m_pagesView->setObjectName(QStringLiteral("pagesView"));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("centreTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(centre, tr("Issues"));
    m_tabs->addTab(m_pagesView, tr("Pages"));
    m_tabs->setTabToolTip(0, tr("The project's issues (Ctrl+1)"));
    m_tabs->setTabToolTip(1, tr("The error pages the project's users saw (Ctrl+2)"));
    m_overview = new ProjectOverviewView(m_readDb.get(), m_context.collectorStatus, this);
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

    m_detail = new IssueDetailView(m_eventQueries.get(), m_pageQueries.get(), m_histogramQueries.get(), this);
    m_detail->setGroupingQueries(m_groupingQueries.get());
    m_detail->setObjectName(QStringLiteral("issueDetail"));
    m_sourceWorkspace = new SourceWorkspace(m_context.dbPath, this);
    m_detail->setSourceWorkspace(m_sourceWorkspace);
    m_detail->setSummaryQueries(m_summaryQueries.get());
    m_detail->scrollArea()->installEventFilter(this);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_projectView);
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 4);
    m_splitter->setSizes({ 180, 720, 700 });
    m_splitter->setChildrenCollapsible(false);
    setCentralWidget(m_splitter);

    connect(m_queryBar, &QueryBar::queryChanged, this, &MainWindow::applyFilter);
    connect(m_projectView->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::applyFilter);
    connect(m_issueView, &QTableView::activated, this, &MainWindow::openCurrentIssue);
    connect(m_issueView, &QTableView::clicked, this, [this](const QModelIndex &) {
        openCurrentIssue();
        m_issueView->setFocus(); // a click keeps the list in charge of the keyboard
    });
    connect(m_issueModel, &IssueListModel::totalChanged, this, &MainWindow::updateCountLabel);
    connect(m_detail, &IssueDetailView::tagClicked, this,
        [this](const QString &key, const QString &value) { m_queryBar->appendTerm(key + QLatin1Char(':') + value); });
    updateCountLabel(m_issueModel->rowCount());
    m_issueView->setFocus();
}

void MainWindow::applyFilter()
{
    const QModelIndex project = m_projectView->currentIndex();
    const qint64 projectId = project.isValid() ? project.data(ProjectListModel::ProjectIdRole).toLongLong() : 0;
    m_issueModel->setFilter(m_queryBar->query(), projectId);
    if (m_issueModel->rowCount() > 0 && !m_issueView->currentIndex().isValid())
        m_issueView->setCurrentIndex(m_issueModel->index(0, IssueListModel::TitleColumn));
    if (!m_issueModel->lastError().isEmpty())
        statusBar()->showMessage(tr("Search failed: %1").arg(m_issueModel->lastError()), 8000);
    updateEmptyState();
    syncPages();
}

qint64 MainWindow::selectedProjectId() const
{
    if (!m_projectView)
        return 0;
    const QModelIndex project = m_projectView->currentIndex();
    return project.isValid() ? project.data(ProjectListModel::ProjectIdRole).toLongLong() : 0;
}

void MainWindow::updateEmptyState()
{
    const QModelIndex project = m_projectView->currentIndex();
    const bool waiting = project.isValid() && selectedProjectId() > 0
        && !project.data(ProjectListModel::HasEventsRole).toBool() && m_issueModel->rowCount() == 0;
    if (waiting)
        m_emptyLabel->setText(tr("%1 is waiting for its first event.\n\nPoint a Sentry SDK at this project's DSN "
                                 "and its errors show up here as they happen.")
                                  .arg(project.data(Qt::DisplayRole).toString()));
    m_issueStack->setCurrentWidget(waiting ? m_emptyState : static_cast<QWidget *>(m_issueView));
}

void MainWindow::syncPages()
{
    // Pages needs the room for its list and the page as rendered; the issue detail belongs to Issues.
    if (m_detail && m_tabs)
        m_detail->setVisible(m_tabs->currentWidget() != m_pagesView);
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

bool MainWindow::openIssue(qint64 issueId)
{
    if (!m_issueQueries)
        return false;
    const std::optional<IssueRow> issue = m_issueQueries->byId(issueId);
    if (!issue)
        return false;
    const int row = m_issueModel->rowOfIssue(issueId);
    if (row >= 0) {
        const QModelIndex target = m_issueModel->index(row, IssueListModel::TitleColumn);
        m_issueView->selectionModel()->setCurrentIndex(
            target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_issueView->scrollTo(target);
    }
    m_detail->setIssue(*issue);
    return true;
}

ConnectDialog *MainWindow::openConnectDialog(qint64 projectId)
{
    auto *dialog = new ConnectDialog(m_context.dbPath, m_context.collectorHostPort, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (projectId > 0)
        dialog->forProject(projectId);
    if (m_context.writer)
        connect(m_context.writer, &EventWriter::batchCommitted, dialog, &ConnectDialog::onBatchCommitted,
            Qt::QueuedConnection);
    auto projectsChanged = [this](qint64 changedId) {
        refreshNow();
        const int row = m_projectModel->rowOfProject(changedId);
        if (row >= 0)
            m_projectView->setCurrentIndex(m_projectModel->index(row));
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
    auto *dialog = new SettingsDialog(m_context.dbPath, projects, selectedProjectId(), m_systemPalette, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
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
    auto *dialog = new AlertSettingsDialog(m_context.dbPath, projects, projectId, m_context.sendTestAlert, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

DroppedEventsView *MainWindow::openDroppedEvents()
{
    if (!m_droppedEvents) {
        m_droppedEvents = new DroppedEventsView(m_context.dbPath, this);
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
    const QModelIndex current = m_issueView->currentIndex();
    if (!current.isValid())
        return;
    if (const auto issue = m_issueModel->issueAt(current.row())) {
        m_detail->setIssue(*issue);
        m_detail->scrollArea()->setFocus();
    }
}

void MainWindow::moveCurrent(int delta)
{
    const int rows = m_issueModel->rowCount();
    if (rows == 0)
        return;
    const QModelIndex current = m_issueView->currentIndex();
    const int row = current.isValid() ? qBound(0, current.row() + delta, rows - 1) : 0;
    const QModelIndex target = m_issueModel->index(row, IssueListModel::TitleColumn);
    m_issueView->selectionModel()->setCurrentIndex(
        target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_issueView->scrollTo(target);
    m_issueView->setFocus();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
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

QFuture<int> MainWindow::setSelectedStatus(IssueStatus status)
{
    QList<qint64> ids = selectedIssueIds();
    if (ids.isEmpty() && m_detail && m_detail->issue())
        ids.append(m_detail->issue()->id);
    if (ids.isEmpty() || !m_readDb)
        return QtFuture::makeReadyFuture(0);
    const QString path = m_context.dbPath;
    QFuture<int> future = QtConcurrent::run(&m_writePool, [this, ids, status, path]() {
        if (!m_writeDb) {
            QString error;
            m_writeDb = Database::open(path, Database::Mode::ReadWrite, &error);
            if (!m_writeDb)
                return -1;
        }
        IssueQueries queries(*m_writeDb);
        return queries.setStatus(ids, status);
    });
    auto *watcher = new QFutureWatcher<int>(this);
    connect(watcher, &QFutureWatcher<int>::finished, this, [this, watcher, status]() {
        const int changed = watcher->result();
        watcher->deleteLater();
        if (changed < 0)
            statusBar()->showMessage(tr("Could not change the status (see the log)."), 8000);
        else
            statusBar()->showMessage(
                countText(changed, "%1 issue marked ", "%1 issues marked ") + issueStatusName(status), 4000);
        refreshNow();
        emit statusChangeFinished(changed);
    });
    watcher->setFuture(future);
    return future;
}

void MainWindow::onBatchCommitted(const BatchSummary &summary)
{
    m_pendingNewIssues += summary.newIssues;
    m_pendingRegressions += summary.regressions;
    for (qint64 id : summary.touchedIssueIds)
        m_pendingIssueIds.insert(id);
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
    m_liveReader->start(takeRefreshRequest());
}

void MainWindow::refreshNow()
{
    if (!m_issueModel)
        return;
    applyRefresh(readLiveSnapshot(*m_readDb, takeRefreshRequest()));
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
    request.detailChartSpan = int(m_detail->histogramView()->span());
    if (m_tabs->currentWidget() == m_pagesView)
        request.pagesProject = m_pagesView->model()->project();
    request.newIssues = std::exchange(m_pendingNewIssues, 0);
    request.regressions = std::exchange(m_pendingRegressions, 0);
    if (request.newIssues + request.regressions == 1 && m_pendingIssueIds.size() == 1)
        request.titleOfIssueId = *m_pendingIssueIds.begin();
    m_pendingIssueIds.clear();
    return request;
}

void MainWindow::applyRefresh(const LiveSnapshot &snapshot)
{
    if (!snapshot.error.isEmpty()) {
        statusBar()->showMessage(tr("Live updates stopped: %1").arg(snapshot.error), 8000);
    } else if (snapshot.serial == m_refreshSerial) { // else a newer refresh already showed more
        m_issueModel->applyRefresh(snapshot.issues);
        m_projectModel->apply(snapshot.projects);
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
    if (snapshot.newIssues > 0 || snapshot.regressions > 0)
        m_notifier->notify(
            snapshot.newIssues, snapshot.regressions, snapshot.notificationTitle, snapshot.notificationIssueId);
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
