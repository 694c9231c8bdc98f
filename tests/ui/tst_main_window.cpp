// The main window offscreen, driven from the keyboard as a user would: search
// with "/", move with j/k, open with Enter, resolve with r; live updates from
// the writer keep the selection and the open issue; the error page, histogram
// and trends in the detail and list; the Pages tab; connecting a service from
// the empty state; Settings; pruning progress. With FAULTLINE_SCREENSHOT_DIR
// set, also saves screenshots there.
#include "dark_palette.h"
#include "detail_waits.h"
#include "dialog_waits.h"
#include "list_waits.h"
#include "settle_layouts.h"
#include "ui_test_data.h"

#include "storage/issue_queries.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/retention_scheduler.h"
#include "storage/storage_gateway.h"
#include "storage/storage_health.h"
#include "ui/app_settings.h"
#include "ui/collector_status_bar.h"
#include "ui/connect_dialog.h"
#include "ui/detail_section.h"
#include "ui/dropped_events_view.h"
#include "ui/event_pages_view.h"
#include "ui/event_view.h"
#include "ui/exception_view.h"
#include "ui/frame_view.h"
#include "ui/http_outcome_view.h"
#include "ui/issue_detail_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/issue_notifier.h"
#include "ui/main_window.h"
#include "ui/notification_rules_form.h"
#include "ui/page_preview.h"
#include "ui/pages_view.h"
#include "ui/project_overview_view.h"
#include "ui/query_bar.h"
#include "ui/safe_text_browser.h"
#include "ui/settings_dialog.h"
#include "ui/stack_trace_view.h"
#include "ui/tray_icon.h"
#include "ui/triage/issue_list_model.h"
#include "ui/triage/pages_model.h"
#include "ui/triage/project_list_model.h"
#include "ui/warning_banner.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollArea>
#include <QScrollBar>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>

using namespace faultline;
using namespace faultline::test;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void keyboardFlow();
    void multiSelectIgnore();
    void liveUpdateKeepsSelectionAndDetail();
    void liveRefreshReadsOffTheGuiThread();
    void projectsShowWaitingState();
    void errorPageInTheDetail();
    void histogramFacetsAndTrends();
    void pagesTabFollowsProjectAndOpensIssues();
    void settingsRestoreLayout();
    void screenshots();
    void settingsDialogStoresRetentionAndTheme();
    void pruneProgressInTheStatusBar();
    void diskSpaceBannerFollowsTheCollector();
    void notificationRulesFilterLiveNews();
    void connectFromTheEmptyState(); // writes to the waiting project
    void scrollPositionSurvivesLiveUpdates(); // last: adds hundreds of issues

private:
    MainWindowContext context() const;
    std::unique_ptr<MainWindow> openWindow();
    int rowOfTitle(MainWindow &window, const QString &prefix) const;
    QString storedStatus(qint64 issueId) const;
    void openTitle(MainWindow &window, const QString &prefix);
    int projectRow(MainWindow &window, const QString &name) const;
    QString screenshotDir() const { return qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR"); }

    UiTestDatabase m_data;
    std::unique_ptr<RetentionScheduler> m_retention; // never started: the tests drive its signals
    std::unique_ptr<StorageGateway> m_storage;
    qint64 m_base = 0;
    int m_issueCount = 0;
};

MainWindowContext TestMainWindow::context() const
{
    MainWindowContext context;
    context.dbPath = m_data.path();
    context.storage = m_storage.get();
    context.collectorHostPort = QStringLiteral("127.0.0.1:8990");
    context.collectorStatus = []() {
        CollectorStatus status;
        status.acceptedEvents = 42;
        status.rejectedRequests = 3;
        return status;
    };
    context.writer = m_data.writer();
    context.retention = m_retention.get();
    return context;
}

void TestMainWindow::openTitle(MainWindow &window, const QString &prefix)
{
    const int row = rowOfTitle(window, prefix);
    QVERIFY2(row >= 0, qPrintable(prefix));
    window.issueView()->selectionModel()->setCurrentIndex(window.issueModel()->index(row, IssueListModel::TitleColumn),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window.openCurrentIssue();
    QVERIFY(detailSettled(window));
}

int TestMainWindow::projectRow(MainWindow &window, const QString &name) const
{
    for (int r = 0; r < window.projectModel()->rowCount(); ++r)
        if (window.projectModel()->index(r).data().toString() == name)
            return r;
    return -1;
}

void TestMainWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("faultline-ui-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
    QSettings().clear();
    QVERIFY(m_data.start());
    m_retention = std::make_unique<RetentionScheduler>(m_data.path());
    m_storage = std::make_unique<StorageGateway>(m_data.path());
    m_base = QDateTime::currentMSecsSinceEpoch() - 40 * 60'000;
    QList<WriteOutcome> outcomes;
    QVERIFY(m_data.writeFixtures(m_base, &outcomes));
    QSet<qint64> issues;
    for (const WriteOutcome &outcome : outcomes)
        issues.insert(outcome.issueId);
    m_issueCount = int(issues.size());
    QString error;
    auto db = Database::open(m_data.path(), Database::Mode::ReadWrite, &error);
    QVERIFY2(db, qPrintable(error));
    ProjectStore(*db).add(QStringLiteral("checkout")); // no events yet
}

std::unique_ptr<MainWindow> TestMainWindow::openWindow()
{
    QSettings().remove(QStringLiteral("issueList/query")); // each window starts from the default view
    auto window = std::make_unique<MainWindow>(context());
    window->resize(1600, 1000);
    window->show();
    QApplication::setActiveWindow(window.get());
    if (!QTest::qWaitForWindowActive(window.get()))
        qWarning() << "window did not become active";
    if (!listSettled(*window))
        qWarning() << "the list did not load";
    return window;
}

int TestMainWindow::rowOfTitle(MainWindow &window, const QString &prefix) const
{
    IssueListModel *model = window.issueModel();
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data(IssueListModel::TitleRole).toString().startsWith(prefix))
            return r;
    return -1;
}

QString TestMainWindow::storedStatus(qint64 issueId) const
{
    QString error;
    auto db = Database::open(m_data.path(), Database::Mode::ReadOnly, &error);
    if (!db)
        return error;
    const auto issue = IssueQueries(*db).byId(issueId);
    return issue ? issue->status : QStringLiteral("missing");
}

void TestMainWindow::keyboardFlow()
{
    auto window = openWindow();
    QVERIFY(window->openError().isEmpty());
    IssueListModel *model = window->issueModel();
    QTableView *list = window->issueView();
    QLineEdit *search = window->queryBar()->lineEdit();
    QCOMPARE(model->rowCount(), m_issueCount);
    list->setFocus();
    QTRY_VERIFY(list->hasFocus());

    // "/" focuses the search; a bad term shows why, and the list keeps the last good results.
    QTest::keyClick(list, Qt::Key_Slash);
    QTRY_VERIFY(search->hasFocus());
    QTest::keyClicks(search, QStringLiteral("level:bogus"));
    QTRY_VERIFY(window->queryBar()->hasError());
    QVERIFY(window->queryBar()->findChild<QLabel *>(QStringLiteral("queryError"))->isVisible());
    QVERIFY(window->queryBar()->errorText().contains(QLatin1String("level:bogus")));
    QCOMPARE(window->queryBar()->errorSpan().start, 0);
    QCOMPARE(model->rowCount(), m_issueCount);

    // A good query filters as you type (debounced).
    search->clear();
    QTest::keyClicks(search, QStringLiteral("level:error"));
    QTRY_VERIFY(!window->queryBar()->hasError());
    QTRY_VERIFY(model->rowCount() < m_issueCount);
    QVERIFY(model->rowCount() >= 2);
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->index(r, 0).data(IssueListModel::LevelRole).toString(), QStringLiteral("error"));

    // Esc back to the list; j/k move; Enter opens.
    QTest::keyClick(search, Qt::Key_Escape);
    QTRY_VERIFY(list->hasFocus());
    list->setCurrentIndex(model->index(0, IssueListModel::TitleColumn));
    const int target = rowOfTitle(*window, QStringLiteral("ZeroDivisionError"));
    QVERIFY(target >= 0);
    for (int i = 0; i < target + 1; ++i)
        QTest::keyClick(list, Qt::Key_J);
    QCOMPARE(list->currentIndex().row(), qMin(target + 1, model->rowCount() - 1));
    QTest::keyClick(list, Qt::Key_K);
    QCOMPARE(list->currentIndex().row(), target);
    QTest::keyClick(list, Qt::Key_Return);
    QVERIFY(detailSettled(*window));
    IssueDetailView *detail = window->detailView();
    QVERIFY(detail->issue().has_value());
    QCOMPARE(detail->issue()->id, model->issueId(target));
    QCOMPARE(detail->eventView()->exceptionView()->displayedTypes().value(0), QStringLiteral("ZeroDivisionError"));
    QCOMPARE(detail->eventNumber(), detail->eventCount()); // opens at the latest event
    QVERIFY(detail->eventCount() >= 1);
    QVERIFY(detail->scrollArea()->hasFocus());

    // r resolves the selected issue; the list and storage agree.
    const qint64 issueId = model->issueId(target);
    QSignalSpy finished(window.get(), &MainWindow::statusChangeFinished);
    QTest::keyClick(detail->scrollArea(), Qt::Key_R);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().first().toInt(), 1);
    QCOMPARE(storedStatus(issueId), QStringLiteral("resolved"));
    const int rowAfter = model->rowOfIssue(issueId);
    QVERIFY(rowAfter >= 0);
    QCOMPARE(model->index(rowAfter, 0).data(IssueListModel::StatusRole).toString(), QStringLiteral("resolved"));
    QCOMPARE(model->index(rowAfter, IssueListModel::StatusColumn).data().toString(), QStringLiteral("resolved"));
    QCOMPARE(detail->issue()->status, QStringLiteral("resolved"));

    // Esc returns to the list, u reopens.
    QTest::keyClick(detail->scrollArea(), Qt::Key_Escape);
    QTRY_VERIFY(list->hasFocus());
    QTest::keyClick(list, Qt::Key_U);
    QVERIFY(finished.wait(5000));
    QCOMPARE(storedStatus(issueId), QStringLiteral("unresolved"));

    // Typing "r" into the search types an r: shortcuts never steal letters from text.
    QTest::keyClick(list, Qt::Key_Slash);
    QTRY_VERIFY(search->hasFocus());
    search->clear();
    QTest::keyClicks(search, QStringLiteral("r"));
    QCOMPARE(search->text(), QStringLiteral("r"));
    // Status changes finish in the order asked for (one write thread): a "u" asked now
    // finishes after any change the "r" would have started, so the next one to finish
    // must be the "u", changing nothing (the issue is open already).
    QTest::keyClick(search, Qt::Key_Escape);
    QTRY_VERIFY(list->hasFocus());
    QTest::keyClick(list, Qt::Key_U);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 3);
    QCOMPARE(finished.last().first().toInt(), 0);
    QCOMPARE(storedStatus(issueId), QStringLiteral("unresolved"));
}

void TestMainWindow::multiSelectIgnore()
{
    auto window = openWindow();
    IssueListModel *model = window->issueModel();
    QTableView *list = window->issueView();
    QVERIFY(model->rowCount() >= 3);
    list->selectionModel()->select(QItemSelection(model->index(0, 0), model->index(2, IssueListModel::ColumnCount - 1)),
        QItemSelectionModel::ClearAndSelect);
    const QList<qint64> ids = window->selectedIssueIds();
    QCOMPARE(ids.size(), 3);
    QSignalSpy finished(window.get(), &MainWindow::statusChangeFinished);
    list->setFocus();
    QTest::keyClick(list, Qt::Key_I);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().first().toInt(), 3);
    for (qint64 id : ids) {
        QCOMPARE(storedStatus(id), QStringLiteral("ignored"));
        QCOMPARE(model->rowOfIssue(id), -1); // out of the default is:unresolved view
    }
    window->undoLastStatusChange();
    QVERIFY(finished.wait(5000));
    for (qint64 id : ids)
        QVERIFY(model->rowOfIssue(id) >= 0);
    for (qint64 id : ids)
        QCOMPARE(storedStatus(id), QStringLiteral("unresolved"));
}

void TestMainWindow::liveUpdateKeepsSelectionAndDetail()
{
    auto window = openWindow();
    IssueListModel *model = window->issueModel();
    QTableView *list = window->issueView();
    const int row = rowOfTitle(*window, QStringLiteral("KeyError"));
    QVERIFY(row >= 0);
    const qint64 issueId = model->issueId(row);
    list->setCurrentIndex(model->index(row, IssueListModel::TitleColumn));
    window->openCurrentIssue();
    QVERIFY(detailSettled(*window));
    QCOMPARE(window->detailView()->issue()->id, issueId);
    const int events = window->detailView()->eventCount();

    const int before = model->rowCount();
    QSet<qint64> idsBefore;
    for (int row = 0; row < before; ++row)
        idsBefore.insert(model->issueId(row));
    QSignalSpy refreshed(window.get(), &MainWindow::refreshed);
    IncomingEvent fresh = fixtureIncoming(
        QStringLiteral("python_unhandled_excepthook_store"), QDateTime::currentMSecsSinceEpoch(), 500);
    fresh.issue.fingerprint = QStringLiteral("live-new-issue");
    IncomingEvent again
        = fixtureIncoming(QStringLiteral("python_rich_event_store"), QDateTime::currentMSecsSinceEpoch(), 501);
    QVERIFY(m_data.write({ fresh, again }));
    QVERIFY(refreshed.wait(5000));
    QTRY_COMPARE(model->rowCount(), before + 1);
    QCOMPARE(model->issueId(list->currentIndex().row()), issueId);
    QVERIFY(list->selectionModel()->isRowSelected(list->currentIndex().row(), {}));
    QCOMPARE(window->detailView()->issue()->id, issueId);
    QTRY_COMPARE(window->detailView()->eventCount(), events + 1);
    QTRY_COMPARE(window->notifier()->shownCount(), 1);
    // The tray's "last new issues" is fed by the same live update.
    QCOMPARE(window->tray()->recentIssues().size(), 1);
    QSet<qint64> listed;
    for (int row = 0; row < model->rowCount(); ++row)
        listed.insert(model->issueId(row));
    QVERIFY(listed.contains(window->tray()->recentIssues().first().id));
    QVERIFY(!idsBefore.contains(window->tray()->recentIssues().first().id)); // the new one
    ++m_issueCount;
}

void TestMainWindow::liveRefreshReadsOffTheGuiThread()
{
    auto window = openWindow();
    IssueListModel *model = window->issueModel();
    const int before = model->rowCount();
    QSignalSpy refreshed(window.get(), &MainWindow::refreshed);

    // A 0 ms heartbeat runs on every turn of the event loop: it sees the live read in flight,
    // and then writes a second batch, which the window shows by one more refresh after this
    // one (coalesced, not a second read at the same time).
    // The storage reader is held on a gate first, so the live read waits behind it however fast it is.
    int turnsWhileReading = 0;
    QSemaphore gate;
    const auto openGate = qScopeGuard([&gate]() { gate.release(); }); // never leave the reader stuck
    m_storage->read([&gate](Database &) { gate.acquire(); });
    QTimer heartbeat;
    heartbeat.setInterval(0);
    connect(&heartbeat, &QTimer::timeout, this, [&]() {
        if (!window->isRefreshing())
            return;
        if (turnsWhileReading++ == 0) {
            IncomingEvent second = fixtureIncoming(
                QStringLiteral("python_unhandled_excepthook_store"), QDateTime::currentMSecsSinceEpoch(), 602);
            second.issue.fingerprint = QStringLiteral("live-off-thread-2");
            QVERIFY(m_data.write({ second }));
            gate.release();
        }
    });
    heartbeat.start();

    IncomingEvent first = fixtureIncoming(
        QStringLiteral("python_unhandled_excepthook_store"), QDateTime::currentMSecsSinceEpoch(), 601);
    first.issue.fingerprint = QStringLiteral("live-off-thread-1");
    QVERIFY(m_data.write({ first }));
    QVERIFY(refreshed.wait(5000));
    QVERIFY2(turnsWhileReading > 0, "the event loop did not turn while the refresh read");
    QVERIFY(model->rowCount() >= before + 1); // applied by the time refreshed is emitted

    QTRY_COMPARE(model->rowCount(), before + 2);
    // The second batch gets a refresh of its own, even when the first read
    // already saw it (it may have committed before that read began).
    QTRY_VERIFY(refreshed.count() >= 2);
    QTRY_VERIFY(!window->isRefreshing());
    m_issueCount += 2;
}

void TestMainWindow::projectsShowWaitingState()
{
    auto window = openWindow();
    ProjectListModel *projects = window->projectModel();
    QCOMPARE(projects->rowCount(), 3); // all, default, checkout
    const int checkout = int(projects->projects().size());
    QCOMPARE(projects->index(checkout).data().toString(), QStringLiteral("checkout"));
    QCOMPARE(projects->index(checkout).data(ProjectListModel::SubtitleRole).toString(),
        QStringLiteral("waiting for first event"));
    QVERIFY(projects->index(1).data(ProjectListModel::UnresolvedRole).toLongLong() > 0);
    window->projectView()->setCurrentIndex(projects->index(checkout));
    QVERIFY(listSettled(*window));
    QCOMPARE(window->issueModel()->rowCount(), 0);
    window->projectView()->setCurrentIndex(projects->index(0));
    QVERIFY(listSettled(*window));
    QCOMPARE(window->issueModel()->rowCount(), m_issueCount);

    // The status bar: clicking the collector address copies the selected project's DSN.
    window->projectView()->setCurrentIndex(projects->index(checkout));
    QVERIFY(listSettled(*window));
    auto *address = window->findChild<QPushButton *>(QStringLiteral("collectorAddress"));
    QVERIFY(address);
    QVERIFY(address->text().contains(QLatin1String("127.0.0.1:8990")));
    address->click();
    const Project project = projects->projects().last();
    QCOMPARE(QApplication::clipboard()->text(),
        QStringLiteral("http://%1@127.0.0.1:8990/%2").arg(project.publicKey).arg(project.id));
    auto *rejected = window->findChild<QPushButton *>(QStringLiteral("rejectedRequests"));
    QCOMPARE(rejected->text(), QStringLiteral("3 rejected"));
    rejected->click(); // opens the dropped-events view
    auto *dropped = window->findChild<DroppedEventsView *>();
    QVERIFY(dropped);
    QTRY_VERIFY(dropped->isVisible());
    dropped->close();
    QVERIFY(window->findChild<QLabel *>(QStringLiteral("databaseSize"))->text().startsWith(QLatin1String("Database ")));
}

void TestMainWindow::errorPageInTheDetail()
{
    auto window = openWindow();
    openTitle(*window, QStringLiteral("RuntimeError: server error page rendered"));
    EventView *event = window->detailView()->eventView();
    QVERIFY(event->pagesSection()->isVisibleTo(window.get()));
    QCOMPARE(event->pagesView()->pageCount(), 1);
    PagePreview *preview = event->pagesView()->preview();
    QVERIFY(preview->headerText().contains(QLatin1String("HTTP 500")));
    QVERIFY(preview->headerText().contains(QLatin1String("500.html")));
    QVERIFY(preview->browser()->toPlainText().contains(QLatin1String("500")));
    preview->setShowingSource(true);
    QVERIFY(preview->sourceView()->toPlainText().contains(QLatin1String("<h1>500</h1>")));
    preview->setShowingSource(false);
    // What the user saw follows the exception it came with (a small page stays open).
    QVERIFY(event->pagesSection()->y() > event->exceptionView()->mapTo(event, QPoint()).y());
    QVERIFY(event->pagesSection()->isExpanded());

    // An event without pages hides the section.
    openTitle(*window, QStringLiteral("ZeroDivisionError"));
    QVERIFY(!event->pagesSection()->isVisibleTo(window.get()));
    QCOMPARE(event->pagesView()->pageCount(), 0);
}

void TestMainWindow::histogramFacetsAndTrends()
{
    auto window = openWindow();
    // ZeroDivisionError: 4 events, the oldest 3 h before the others, all within a day → hourly.
    openTitle(*window, QStringLiteral("ZeroDivisionError"));
    IssueDetailView *detail = window->detailView();
    IssueHistogramView *histogram = detail->histogramView();
    QVERIFY(histogram->isVisibleTo(window.get()));
    QCOMPARE(histogram->histogram().range.buckets, 24);
    QCOMPARE(histogram->histogram().range.bucketMs, HistogramRange::kHourMs);
    QCOMPARE(histogram->histogram().total(), detail->issue()->count);
    QVERIFY2(
        histogram->caption().startsWith(QStringLiteral("Last 24 hours · peak ")), qPrintable(histogram->caption()));
    const Event &shown = detail->currentEvent();
    if (!shown.release.isEmpty())
        QVERIFY(detail->facetsText().contains(shown.release));
    if (!shown.environment.isEmpty())
        QVERIFY(detail->facetsText().contains(shown.environment));

    // The list's trend column: the same counts, read once per loaded page.
    IssueListModel *model = window->issueModel();
    const int row = rowOfTitle(*window, QStringLiteral("ZeroDivisionError"));
    const auto trend
        = model->index(row, IssueListModel::TrendColumn).data(IssueListModel::TrendRole).value<QList<qint64>>();
    QCOMPARE(trend.size(), 24);
    qint64 total = 0;
    for (qint64 count : trend)
        total += count;
    QCOMPARE(total, detail->issue()->count);
    const int queries = model->trendQueries();
    for (int r = 0; r < model->rowCount(); ++r)
        model->index(r, IssueListModel::TrendColumn).data(IssueListModel::TrendRole);
    QCOMPARE(model->trendQueries(), queries); // cached until the next refresh
}

void TestMainWindow::pagesTabFollowsProjectAndOpensIssues()
{
    auto window = openWindow();
    QTabWidget *tabs = window->centreTabs();
    QCOMPARE(tabs->currentIndex(), 0);
    QTest::keySequence(window.get(), QKeySequence(QStringLiteral("Ctrl+2")));
    QCOMPARE(tabs->currentWidget(), window->pagesView());
    PagesView *pages = window->pagesView();
    QTRY_COMPARE(pages->model()->rowCount(), 1); // the captured 500.html, read on the gateway
    QCOMPARE(pages->model()->page(0).statusCode, 500);
    // Pages takes the whole width: the issue detail belongs to the Issues tab.
    QVERIFY(!window->detailView()->isVisible());
    QTRY_VERIFY(pages->width() > window->width() * 3 / 4);
    // So does the Overview (at 1000 px its titles were cut beside an empty detail).
    tabs->setCurrentWidget(window->overviewView());
    QVERIFY(!window->detailView()->isVisible());
    tabs->setCurrentWidget(pages);

    // It follows the project on the left.
    const int checkout = projectRow(*window, QStringLiteral("checkout"));
    window->projectView()->setCurrentIndex(window->projectModel()->index(checkout));
    QVERIFY(listSettled(*window));
    QCOMPARE(pages->model()->project(), window->projectModel()->projects().at(checkout - 1).id);
    QTRY_COMPARE(pages->model()->rowCount(), 0);
    window->projectView()->setCurrentIndex(window->projectModel()->index(0));
    QVERIFY(listSettled(*window));
    QTRY_COMPARE(pages->model()->rowCount(), 1);

    // New page events refresh it (throttled like the list).
    QSignalSpy refreshed(window.get(), &MainWindow::refreshed);
    IncomingEvent again
        = fixtureIncoming(QStringLiteral("attachment_html_envelope"), QDateTime::currentMSecsSinceEpoch(), 700);
    again.attachments = fixtureAttachments(QStringLiteral("attachment_html_envelope"));
    const qint64 before = pages->model()->page(0).events;
    QVERIFY(m_data.write({ again }));
    QVERIFY(refreshed.wait(5000));
    QTRY_COMPARE(pages->model()->page(0).events, before + 1);

    // Double-click opens the issue the page came with, back on the Issues tab.
    const QRect cell = pages->table()->visualRect(pages->model()->index(0, PagesModel::StatusColumn));
    QTest::mouseClick(pages->table()->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(pages->table()->viewport(), Qt::LeftButton, {}, cell.center());
    QVERIFY(detailSettled(*window));
    QCOMPARE(tabs->currentIndex(), 0);
    QVERIFY(window->detailView()->isVisible());
    const auto shownId = [&] { return window->detailView()->issue() ? window->detailView()->issue()->id : 0; };
    QTRY_COMPARE(shownId(), pages->model()->page(0).issueIds.last()); // read through the gateway first
    QVERIFY(window->detailView()->issue()->title.startsWith(QLatin1String("RuntimeError")));
    QTest::keySequence(window.get(), QKeySequence(QStringLiteral("Ctrl+1")));
    QCOMPARE(tabs->currentIndex(), 0);
}

void TestMainWindow::settingsDialogStoresRetentionAndTheme()
{
    auto window = openWindow();
    const int defaultRow = projectRow(*window, QStringLiteral("default"));
    QVERIFY(defaultRow > 0);
    window->projectView()->setCurrentIndex(window->projectModel()->index(defaultRow));
    QVERIFY(listSettled(*window));
    const qint64 projectId = window->selectedProjectId();
    const QColor lightWindow = QApplication::palette().color(QPalette::Window);

    SettingsDialog *dialog = window->openSettingsDialog();
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->isLoading()); // read on the storage reader, not on the GUI thread
    QTRY_VERIFY(!dialog->isLoading());
    QVERIFY(!dialog->appliesToAllProjects()); // the selected project first
    QCOMPARE(dialog->maxAgeDaysSpin()->value(), ProjectSettings::defaults(projectId).maxAgeDays);
    dialog->maxAgeDaysSpin()->setValue(30);
    dialog->maxEventsSpin()->setValue(5000);
    QCOMPARE(dialog->attachmentMiBPerHourSpin()->value(), 100);
    QCOMPARE(dialog->maxStoredMiBSpin()->text(), QStringLiteral("any size"));
    dialog->maxStoredMiBSpin()->setValue(2048);
    dialog->attachmentMiBPerHourSpin()->setValue(20);
    dialog->resize(560, dialog->sizeHint().height());
    if (!screenshotDir().isEmpty())
        QVERIFY(dialog->grab().save(screenshotDir() + QStringLiteral("/settings_dialog.png")));
    dialog->listenAddressEdit()->setText(QStringLiteral("0.0.0.0:99999"));
    QVERIFY(!dialog->apply());
    QVERIFY(dialog->errorText().contains(QLatin1String("65535")));
    // What the next start would refuse (a host name) is refused here, with the same words.
    dialog->listenAddressEdit()->setText(QStringLiteral("myhost:8990"));
    QVERIFY(!dialog->apply());
    QVERIFY2(dialog->errorText().contains(QLatin1String("not an IP address")), qPrintable(dialog->errorText()));
    dialog->listenAddressEdit()->selectAll();
    QTest::keyClicks(dialog->listenAddressEdit(), QStringLiteral("127.0.0.1:9000"));
    QVERIFY(dialog->errorText().isEmpty()); // typing clears the complaint
    dialog->themeCombo()->setCurrentIndex(dialog->themeCombo()->findData(int(Theme::Dark)));
    QCOMPARE(dialog->minFreeMegabytesSpin()->value(), 1024); // the default: 1 GiB or 5 %
    QCOMPARE(dialog->minFreePercentSpin()->value(), 5);
    dialog->minFreeMegabytesSpin()->setValue(2048);
    QVERIFY(applySettings(*dialog));

    QString error;
    auto db = Database::open(m_data.path(), Database::Mode::ReadOnly, &error);
    QVERIFY2(db, qPrintable(error));
    const auto stored = ProjectSettingsStore(*db).get(projectId);
    QVERIFY(stored);
    QCOMPARE(stored->maxAgeDays, 30);
    QCOMPARE(stored->maxEvents, 5000);
    QCOMPARE(stored->maxStoredMiB, 2048);
    QCOMPARE(stored->attachmentMiBPerHour, 20);
    const AppSettings saved = AppSettings::load();
    QCOMPARE(saved.listenAddress, QStringLiteral("127.0.0.1:9000"));
    QCOMPARE(saved.theme, Theme::Dark);
    QCOMPARE(saved.minFreeMegabytes, 2048);
    QCOMPARE(saved.minFreePercent, 5);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);

    // Back to the system palette, and every project at once.
    dialog->themeCombo()->setCurrentIndex(dialog->themeCombo()->findData(int(Theme::System)));
    dialog->retentionScopeCombo()->setCurrentIndex(dialog->retentionScopeCombo()->count() - 1);
    QVERIFY(dialog->appliesToAllProjects());
    QTRY_VERIFY(!dialog->isLoading());
    dialog->maxAgeDaysSpin()->setValue(0);
    dialog->listenAddressEdit()->clear();
    QVERIFY(applySettings(*dialog));
    QCOMPARE(QApplication::palette().color(QPalette::Window), lightWindow);
    for (const ProjectSettings &settings : ProjectSettingsStore(*db).all())
        QCOMPARE(settings.maxAgeDays, 0);
    QVERIFY(AppSettings::load().listenAddress.isEmpty());
    dialog->close();
}

void TestMainWindow::pruneProgressInTheStatusBar()
{
    auto window = openWindow();
    CollectorStatusBar *bar = window->collectorStatusBar();
    QVERIFY(bar->pruningText().isEmpty());
    emit m_retention->progress(2, 5);
    QCOMPARE(bar->pruningText(), QStringLiteral("Pruning… 40%"));
    emit m_retention->finished(PruneReport {});
    QVERIFY(bar->pruningText().isEmpty());
}

void TestMainWindow::connectFromTheEmptyState()
{
    auto window = openWindow();
    const int checkout = projectRow(*window, QStringLiteral("checkout"));
    window->projectView()->setCurrentIndex(window->projectModel()->index(checkout));
    QVERIFY(listSettled(*window));
    QVERIFY(window->emptyState()->isVisible());
    auto *connectButton = window->emptyState()->findChild<QPushButton *>(QStringLiteral("emptyStateConnect"));
    QVERIFY(connectButton && connectButton->isVisible());
    if (!screenshotDir().isEmpty())
        QVERIFY(window->grab().save(screenshotDir() + QStringLiteral("/empty_state.png")));
    connectButton->click();
    auto *dialog = window->findChild<ConnectDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->project()->name, QStringLiteral("checkout"));
    QCOMPARE(dialog->state(), ConnectDialog::State::Waiting);

    // The writer's batchCommitted reaches the dialog: the first event flips it to Received.
    QSignalSpy received(dialog, &ConnectDialog::firstEventReceived);
    IncomingEvent first = fixtureIncoming(
        QStringLiteral("python_message_store"), QDateTime::currentMSecsSinceEpoch(), 800, dialog->project()->id);
    QVERIFY(m_data.write({ first }));
    QVERIFY(received.wait(5000));
    QCOMPARE(dialog->state(), ConnectDialog::State::Received);
    QTRY_VERIFY(!window->emptyState()->isVisible());
    dialog->close();

    // Creating a project from the toolbar's dialog shows it in the list at once.
    const int projects = window->projectModel()->rowCount();
    ConnectDialog *create = window->openConnectDialog();
    QSignalSpy created(create, &ConnectDialog::projectCreated);
    QVERIFY(create->createProject(QStringLiteral("billing")));
    QVERIFY(created.wait());
    QTRY_COMPARE(window->projectModel()->rowCount(), projects + 1); // the refresh reads on the gateway
    QCOMPARE(window->projectView()->currentIndex().data().toString(), QStringLiteral("billing"));
    QVERIFY(listSettled(*window));
    QVERIFY(window->emptyState()->isVisible());
    create->close();
}

void TestMainWindow::settingsRestoreLayout()
{
    QList<int> sizes;
    {
        auto window = openWindow();
        window->findChild<QSplitter *>(QStringLiteral("mainSplitter"))->setSizes({ 150, 900, 550 });
        window->issueView()->sortByColumn(IssueListModel::EventsColumn, Qt::DescendingOrder);
        QVERIFY(listSettled(*window));
        sizes = window->findChild<QSplitter *>(QStringLiteral("mainSplitter"))->sizes();
        window->close();
    }
    auto window = openWindow();
    QCOMPARE(window->findChild<QSplitter *>(QStringLiteral("mainSplitter"))->sizes(), sizes);
    QCOMPARE(window->issueModel()->sortKey(), IssueSort::Count);
    QCOMPARE(window->issueView()->horizontalHeader()->sortIndicatorSection(), int(IssueListModel::EventsColumn));
    QSettings().clear();
}

void TestMainWindow::screenshots()
{
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
    QDir().mkpath(dir);
    auto window = openWindow();
    IssueListModel *model = window->issueModel();
    QTableView *list = window->issueView();
    IssueDetailView *detail = window->detailView();

    // 1: several issues, one open.
    const int zero = rowOfTitle(*window, QStringLiteral("ZeroDivisionError"));
    QVERIFY(zero >= 0);
    list->selectionModel()->setCurrentIndex(
        model->index(zero, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->openCurrentIssue();
    QVERIFY(detailSettled(*window));
    QVERIFY(settleLayouts(window.get()));
    QVERIFY(window->grab().save(dir + QStringLiteral("/main_window.png")));

    // 2: the crashing app frame, expanded with its source and locals.
    StackTraceView *stack = detail->eventView()->exceptionView()->stackViews().value(0);
    QVERIFY(stack);
    FrameView *expanded = nullptr;
    for (FrameView *frame : stack->frameViews())
        if (frame->isExpanded() && frame->frame().hasLocals())
            expanded = frame;
    QVERIFY(expanded);
    detail->scrollArea()->ensureWidgetVisible(expanded, 0, 0);
    QVERIFY(settleLayouts(detail));
    QVERIFY(detail->grab().save(dir + QStringLiteral("/stack_frame_locals.png")));

    // 3: breadcrumbs of the rich event.
    const int rich = rowOfTitle(*window, QStringLiteral("KeyError"));
    QVERIFY(rich >= 0);
    list->selectionModel()->setCurrentIndex(
        model->index(rich, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->openCurrentIssue();
    QVERIFY(detailSettled(*window));
    DetailSection *crumbs = detail->eventView()->breadcrumbsSection();
    QVERIFY(crumbs->isVisibleTo(detail));
    QVERIFY(settleLayouts(detail));
    detail->scrollArea()->verticalScrollBar()->setValue(crumbs->y() - 8);
    QVERIFY(settleLayouts(detail));
    QVERIFY(detail->grab().save(dir + QStringLiteral("/breadcrumbs.png")));

    // 4: a DRF validation error: the field errors and what the service answered.
    const int validation = rowOfTitle(*window, QStringLiteral("ValidationError: {"));
    QVERIFY(validation >= 0);
    list->selectionModel()->setCurrentIndex(
        model->index(validation, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->openCurrentIssue();
    QVERIFY(detailSettled(*window));
    QVERIFY(settleLayouts(detail));
    QVERIFY(detail->grab().save(dir + QStringLiteral("/validation.png")));

    // 5: the raw traceback toggle.
    list->selectionModel()->setCurrentIndex(
        model->index(zero, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->openCurrentIssue();
    QVERIFY(detailSettled(*window));
    detail->eventView()->exceptionView()->setRaw(true);
    QVERIFY(settleLayouts(detail));
    QVERIFY(detail->grab().save(dir + QStringLiteral("/raw_traceback.png")));
    detail->eventView()->exceptionView()->setRaw(false);

    // The query bar explaining a bad term.
    window->queryBar()->setText(QStringLiteral("is:unresolved level:bogus release:1.2"));
    QVERIFY(listSettled(*window));
    QVERIFY(window->queryBar()->hasError());
    QVERIFY(settleLayouts(window.get()));
    QWidget *centre = window->queryBar()->parentWidget();
    QVERIFY(centre->grab(QRect(0, 0, centre->width(), window->queryBar()->height() + 60))
                .save(dir + QStringLiteral("/query_error.png")));
    window->queryBar()->setText(QString());
    QVERIFY(listSettled(*window));

    // The issue header: its events over time, releases and environments (the issue with most events).
    int busiest = 0;
    for (int r = 1; r < model->rowCount(); ++r)
        if (model->index(r, 0).data(IssueListModel::CountRole).toLongLong()
            > model->index(busiest, 0).data(IssueListModel::CountRole).toLongLong())
            busiest = r;
    list->selectionModel()->setCurrentIndex(
        model->index(busiest, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->openCurrentIssue();
    QVERIFY(detailSettled(*window));
    QVERIFY(settleLayouts(detail));
    const int headerBottom = detail->scrollArea()->mapTo(detail, QPoint(0, 0)).y();
    QVERIFY(
        detail->grab(QRect(0, 0, detail->width(), headerBottom)).save(dir + QStringLiteral("/issue_histogram.png")));

    // The captured 500.html, first in its event's detail: what the user saw.
    openTitle(*window, QStringLiteral("RuntimeError: server error page rendered"));
    QVERIFY(settleLayouts(window.get()));
    QVERIFY(window->grab().save(dir + QStringLiteral("/main_window_error_page.png")));

    // The Pages tab of every project.
    window->showPages();
    window->grab(); // paints: asks for the thumbnails, rendered off the GUI thread
    QVERIFY(QTest::qWaitFor([&window]() { return !window->pagesView()->isLoading(); }, 10'000));
    QVERIFY(settleLayouts(window.get()));
    QVERIFY(window->grab().save(dir + QStringLiteral("/main_window_pages.png")));
    window->showIssues();

    // 6: the same window under a dark system palette (colours come from the palette).
    window.reset();
    const QPalette light = QApplication::palette();
    const QPalette dark = darkTestPalette();
    QApplication::setPalette(dark);
    auto darkWindow = openWindow();
    const int darkRow = rowOfTitle(*darkWindow, QStringLiteral("ZeroDivisionError"));
    darkWindow->issueView()->selectionModel()->setCurrentIndex(
        darkWindow->issueModel()->index(darkRow, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    darkWindow->openCurrentIssue();
    QVERIFY(detailSettled(*darkWindow));
    QVERIFY(settleLayouts(darkWindow.get()));
    QVERIFY(darkWindow->grab().save(dir + QStringLiteral("/main_window_dark.png")));
    darkWindow.reset();
    QApplication::setPalette(light);
}

void TestMainWindow::scrollPositionSurvivesLiveUpdates()
{
    QList<IncomingEvent> events;
    for (int i = 0; i < 600; ++i) {
        IncomingEvent event = fixtureIncoming(
            QStringLiteral("python_message_store"), m_base - 86'400'000 + i, 2000 + i, 1, [i](QJsonObject &json) {
                json.insert(QStringLiteral("message"), QStringLiteral("Scroll issue %1").arg(i));
            });
        event.issue.fingerprint = QStringLiteral("scroll-%1").arg(i);
        events.append(event);
    }
    QVERIFY(m_data.write(events));
    auto window = openWindow();
    QTableView *list = window->issueView();
    IssueListModel *model = window->issueModel();
    QVERIFY(model->rowCount() > 600);
    const int row = 300;
    list->selectionModel()->setCurrentIndex(
        model->index(row, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    list->scrollTo(model->index(row, 1), QAbstractItemView::PositionAtCenter); // the view asks for the row's page
    QVERIFY(listSettled(*window));
    const int scroll = list->verticalScrollBar()->value();
    QVERIFY(scroll > 0);
    const qint64 selected = model->issueId(row);
    QVERIFY(selected > 0);

    // An event for the selected issue (it moves to the top by last seen) would move it; an
    // event for an older, unselected issue below must not move the view.
    QSignalSpy refreshed(window.get(), &MainWindow::refreshed);
    IncomingEvent below = fixtureIncoming(QStringLiteral("python_message_store"), m_base - 86'400'000 + 1, 9000);
    below.issue.fingerprint = QStringLiteral("scroll-0");
    QVERIFY(m_data.write({ below }));
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(list->verticalScrollBar()->value(), scroll);
    QCOMPARE(model->issueId(list->currentIndex().row()), selected);
    QVERIFY(list->selectionModel()->isRowSelected(list->currentIndex().row(), {}));
}

void TestMainWindow::notificationRulesFilterLiveNews()
{
    auto window = openWindow();
    QSignalSpy refreshed(window.get(), &MainWindow::refreshed);
    const auto writeNewIssue = [this](const QString &level, const QString &fingerprint, int copy) {
        IncomingEvent incoming
            = fixtureIncoming(QStringLiteral("python_message_store"), QDateTime::currentMSecsSinceEpoch(), 700 + copy,
                1, [&level](QJsonObject &json) { json.insert(QStringLiteral("level"), level); });
        incoming.issue.fingerprint = fingerprint;
        ++m_issueCount;
        return m_data.write({ incoming });
    };
    const int shownBefore = window->notifier()->shownCount();

    // By default an info issue is news for nobody: no notification, not in the tray.
    QVERIFY(writeNewIssue(QStringLiteral("info"), QStringLiteral("rules-info-1"), 1));
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(window->notifier()->shownCount(), shownBefore);
    QVERIFY(window->tray()->recentIssues().isEmpty());
    QVERIFY(writeNewIssue(QStringLiteral("error"), QStringLiteral("rules-error-1"), 2));
    QTRY_COMPARE(window->notifier()->shownCount(), shownBefore + 1);
    QCOMPARE(window->tray()->recentIssues().size(), 1);

    // Settings → Notifications: the default project from info up, production only.
    SettingsDialog *dialog = window->openSettingsDialog();
    QTRY_VERIFY(!dialog->isLoading());
    NotificationRulesForm *form = dialog->notificationRulesForm();
    form->scopeCombo()->setCurrentIndex(form->scopeCombo()->findData(qint64(1)));
    QVERIFY(!form->ownRuleCheck()->isChecked());
    form->ownRuleCheck()->setChecked(true);
    form->levelCombo()->setCurrentIndex(form->levelCombo()->findData(QStringLiteral("info")));
    if (!screenshotDir().isEmpty()) {
        dialog->findChild<QTabWidget *>(QStringLiteral("settingsTabs"))->setCurrentIndex(1);
        dialog->resize(560, dialog->sizeHint().height());
        QVERIFY(dialog->grab().save(screenshotDir() + QStringLiteral("/settings_notifications.png")));
    }
    QVERIFY(applySettings(*dialog));
    dialog->close();
    QCOMPARE(window->notifier()->rules().ruleFor(1).minLevel, QStringLiteral("info"));
    QVERIFY(writeNewIssue(QStringLiteral("info"), QStringLiteral("rules-info-2"), 3));
    QTRY_COMPARE(window->notifier()->shownCount(), shownBefore + 2);
    QCOMPARE(window->tray()->recentIssues().size(), 2);

    // Stored with the database: a new window reads them.
    auto again = std::make_unique<MainWindow>(context());
    QTRY_COMPARE(again->notifier()->rules().ruleFor(1).minLevel, QStringLiteral("info")); // read on the gateway
    QCOMPARE(again->notifier()->rules().ruleFor(2).minLevel, QStringLiteral("warning"));
    // Back to the defaults for the tests after this one.
    SettingsDialog *reset = again->openSettingsDialog();
    QTRY_VERIFY(!reset->isLoading());
    reset->notificationRulesForm()->setRules(NotificationRules());
    QVERIFY(applySettings(*reset));
    reset->close();
}

void TestMainWindow::diskSpaceBannerFollowsTheCollector()
{
    // What the collector says, polled by the status bar, shows across the window and goes away by itself.
    struct Refusal {
        QString problem;
        int status = 0;
    };
    auto refusal
        = std::make_shared<Refusal>(Refusal { QStringLiteral("the disk holding the database is nearly full"), 507 });
    MainWindowContext refusing = context();
    refusing.collectorStatus = [refusal]() {
        CollectorStatus status;
        status.refusing = refusal->problem;
        status.refusingStatus = refusal->status;
        return status;
    };
    MainWindow window(refusing);
    window.resize(1000, 700);
    window.show();
    QVERIFY(window.refusalBanner()->isVisible());
    QVERIFY(window.refusalBanner()->message().contains(QStringLiteral("nearly full")));
    QVERIFY(window.refusalBanner()->message().contains(QStringLiteral("507")));
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(window.grab().save(dir + QStringLiteral("/disk_space_banner.png")));
    // A damaged database (issue 15, finding 9): the same banner, with what to do and the status services get.
    *refusal = Refusal { storageProblem(StorageState::Corrupt), 503 };
    QTRY_VERIFY(window.refusalBanner()->message().contains(QStringLiteral("faultline db check")));
    QVERIFY(window.refusalBanner()->message().contains(QStringLiteral("503")));
    refusal->problem.clear();
    QTRY_VERIFY(!window.refusalBanner()->isVisible());
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
