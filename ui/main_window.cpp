#include "ui/main_window.h"
#include "ui/plural.h"

#include "storage/database.h"
#include "storage/event_queries.h"
#include "storage/project_store.h"
#include "ui/collector_status_bar.h"
#include "ui/issue_delegate.h"
#include "ui/issue_detail_view.h"
#include "ui/issue_list_model.h"
#include "ui/issue_notifier.h"
#include "ui/project_delegate.h"
#include "ui/project_list_model.h"
#include "ui/query_bar.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace faultline {

MainWindow::MainWindow(MainWindowContext context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(std::move(context))
{
    setWindowTitle(tr("Faultline"));
    setObjectName(QStringLiteral("faultlineMainWindow"));
    m_writePool.setMaxThreadCount(1); // status changes apply in the order they were asked for

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

    buildCentre();
    buildMenus();

    m_collectorBar = new CollectorStatusBar(m_context, m_readDb.get(), this);
    statusBar()->addPermanentWidget(m_collectorBar);
    connect(m_collectorBar, &CollectorStatusBar::addressClicked, this, &MainWindow::copySelectedProjectDsn);

    m_notifier = new IssueNotifier(this);
    connect(m_notifier, &IssueNotifier::activated, this, [this]() {
        showNormal();
        raise();
        activateWindow();
    });

    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &MainWindow::refreshNow);
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

    m_issueModel = new IssueListModel(m_issueQueries.get(), this);
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
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(6, 6, 6, 0);
    centreLayout->setSpacing(4);
    centreLayout->addWidget(m_queryBar);
    centreLayout->addWidget(m_issueView, 1);
    centreLayout->addWidget(m_countLabel);

    m_detail = new IssueDetailView(m_eventQueries.get(), this);
    m_detail->setObjectName(QStringLiteral("issueDetail"));
    m_detail->scrollArea()->installEventFilter(this);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_projectView);
    m_splitter->addWidget(centre);
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
    if (m_refreshTimer.isActive())
        return;
    // Leading edge when idle (the first event shows at once), then at most one per interval.
    const qint64 wait = qMax<qint64>(0, kRefreshIntervalMs - m_sinceRefresh.elapsed());
    m_refreshTimer.start(int(wait));
}

void MainWindow::refreshNow()
{
    if (!m_issueModel)
        return;
    m_refreshTimer.stop();
    m_sinceRefresh.restart();
    m_issueModel->refresh();
    m_projectModel->refresh();
    if (m_detail->issue()) {
        if (const auto issue = m_issueQueries->byId(m_detail->issue()->id))
            m_detail->updateIssue(*issue);
    }
    if (m_pendingNewIssues > 0 || m_pendingRegressions > 0) {
        QString title;
        if (m_pendingNewIssues + m_pendingRegressions == 1 && m_pendingIssueIds.size() == 1)
            if (const auto issue = m_issueQueries->byId(*m_pendingIssueIds.begin()))
                title = issue->title;
        m_notifier->notify(m_pendingNewIssues, m_pendingRegressions, title);
    }
    m_pendingNewIssues = 0;
    m_pendingRegressions = 0;
    m_pendingIssueIds.clear();
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

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace faultline
