// The main window offscreen, driven from the keyboard as a user would: search
// with "/", move with j/k, open with Enter, resolve with r; live updates from
// the writer keep the selection and the open issue. With
// FAULTLINE_SCREENSHOT_DIR set, also saves screenshots there.
#include "ui_test_data.h"

#include "storage/issue_queries.h"
#include "storage/project_store.h"
#include "ui/detail_section.h"
#include "ui/event_view.h"
#include "ui/exception_view.h"
#include "ui/frame_view.h"
#include "ui/issue_detail_view.h"
#include "ui/issue_list_model.h"
#include "ui/issue_notifier.h"
#include "ui/main_window.h"
#include "ui/project_list_model.h"
#include "ui/query_bar.h"
#include "ui/stack_trace_view.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
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
    void projectsShowWaitingState();
    void settingsRestoreLayout();
    void screenshots();
    void scrollPositionSurvivesLiveUpdates(); // last: adds hundreds of issues

private:
    MainWindowContext context() const;
    std::unique_ptr<MainWindow> openWindow();
    int rowOfTitle(MainWindow &window, const QString &prefix) const;
    QString storedStatus(qint64 issueId) const;

    UiTestDatabase m_data;
    qint64 m_base = 0;
    int m_issueCount = 0;
};

MainWindowContext TestMainWindow::context() const
{
    MainWindowContext context;
    context.dbPath = m_data.path();
    context.collectorHostPort = QStringLiteral("127.0.0.1:8990");
    context.collectorStatus = []() {
        CollectorStatus status;
        status.acceptedEvents = 42;
        status.rejectedRequests = 3;
        return status;
    };
    context.writer = m_data.writer();
    return context;
}

void TestMainWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("faultline-ui-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
    QSettings().clear();
    QVERIFY(m_data.start());
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
    auto window = std::make_unique<MainWindow>(context());
    window->resize(1600, 1000);
    window->show();
    QApplication::setActiveWindow(window.get());
    if (!QTest::qWaitForWindowActive(window.get()))
        qWarning() << "window did not become active";
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
    QVERIFY(window->findChild<QLabel *>(QStringLiteral("queryError"))->isVisible());
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
    QTest::qWait(100);
    QCOMPARE(finished.size(), 2);
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
    for (qint64 id : ids)
        QCOMPARE(storedStatus(id), QStringLiteral("ignored"));
    QCOMPARE(window->selectedIssueIds().size(), 3); // the refresh kept the selection
    window->setSelectedStatus(IssueStatus::Unresolved).waitForFinished();
    QVERIFY(finished.wait(5000));
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
    QCOMPARE(window->detailView()->issue()->id, issueId);
    const int events = window->detailView()->eventCount();

    const int before = model->rowCount();
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
    ++m_issueCount;
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
    QCOMPARE(window->issueModel()->rowCount(), 0);
    window->projectView()->setCurrentIndex(projects->index(0));
    QCOMPARE(window->issueModel()->rowCount(), m_issueCount);

    // The status bar: clicking the collector address copies the selected project's DSN.
    window->projectView()->setCurrentIndex(projects->index(checkout));
    auto *address = window->findChild<QPushButton *>(QStringLiteral("collectorAddress"));
    QVERIFY(address);
    QVERIFY(address->text().contains(QLatin1String("127.0.0.1:8990")));
    address->click();
    const Project project = projects->projects().last();
    QCOMPARE(QApplication::clipboard()->text(),
        QStringLiteral("http://%1@127.0.0.1:8990/%2").arg(project.publicKey).arg(project.id));
    QCOMPARE(window->findChild<QLabel *>(QStringLiteral("rejectedRequests"))->text(), QStringLiteral("3 rejected"));
    QVERIFY(window->findChild<QLabel *>(QStringLiteral("databaseSize"))->text().startsWith(QLatin1String("Database ")));
}

void TestMainWindow::settingsRestoreLayout()
{
    QList<int> sizes;
    {
        auto window = openWindow();
        window->findChild<QSplitter *>(QStringLiteral("mainSplitter"))->setSizes({ 150, 900, 550 });
        window->issueView()->sortByColumn(IssueListModel::EventsColumn, Qt::DescendingOrder);
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
    QTest::qWait(50);
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
    QTest::qWait(50);
    QVERIFY(detail->grab().save(dir + QStringLiteral("/stack_frame_locals.png")));

    // 3: breadcrumbs of the rich event.
    const int rich = rowOfTitle(*window, QStringLiteral("KeyError"));
    QVERIFY(rich >= 0);
    list->selectionModel()->setCurrentIndex(
        model->index(rich, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->openCurrentIssue();
    DetailSection *crumbs = detail->eventView()->breadcrumbsSection();
    QVERIFY(crumbs->isVisibleTo(detail));
    QTest::qWait(50);
    detail->scrollArea()->verticalScrollBar()->setValue(crumbs->y() - 8);
    QTest::qWait(50);
    QVERIFY(detail->grab().save(dir + QStringLiteral("/breadcrumbs.png")));

    // 4: a DRF validation error: the field errors and what the service answered.
    const int validation = rowOfTitle(*window, QStringLiteral("ValidationError: {"));
    QVERIFY(validation >= 0);
    list->selectionModel()->setCurrentIndex(
        model->index(validation, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->openCurrentIssue();
    QTest::qWait(50);
    QVERIFY(detail->grab().save(dir + QStringLiteral("/validation.png")));

    // 5: the raw traceback toggle.
    list->selectionModel()->setCurrentIndex(
        model->index(zero, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->openCurrentIssue();
    detail->eventView()->exceptionView()->setRaw(true);
    QTest::qWait(50);
    QVERIFY(detail->grab().save(dir + QStringLiteral("/raw_traceback.png")));
    detail->eventView()->exceptionView()->setRaw(false);

    // The query bar explaining a bad term.
    window->queryBar()->setText(QStringLiteral("is:unresolved level:bogus release:1.2"));
    QVERIFY(window->queryBar()->hasError());
    QTest::qWait(50);
    QWidget *centre = window->queryBar()->parentWidget();
    QVERIFY(centre->grab(QRect(0, 0, centre->width(), window->queryBar()->height() + 60))
                .save(dir + QStringLiteral("/query_error.png")));
    window->queryBar()->setText(QString());

    // 6: the same window under a dark system palette (colours come from the palette).
    window.reset();
    const QPalette light = QApplication::palette();
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb5));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    dark.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ToolTipText, QColor(0xe0, 0xe0, 0xe0));
    QApplication::setPalette(dark);
    auto darkWindow = openWindow();
    const int darkRow = rowOfTitle(*darkWindow, QStringLiteral("ZeroDivisionError"));
    darkWindow->issueView()->selectionModel()->setCurrentIndex(
        darkWindow->issueModel()->index(darkRow, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    darkWindow->openCurrentIssue();
    QTest::qWait(50);
    QVERIFY(darkWindow->grab().save(dir + QStringLiteral("/main_window_dark.png")));
    darkWindow.reset();
    QApplication::setPalette(light);
}

void TestMainWindow::scrollPositionSurvivesLiveUpdates()
{
    QList<IncomingEvent> events;
    for (int i = 0; i < 600; ++i) {
        IncomingEvent event
            = fixtureIncoming(QStringLiteral("python_message_store"), m_base - 86'400'000 + i, 2000 + i);
        event.issue.fingerprint = QStringLiteral("scroll-%1").arg(i);
        event.issue.title = QStringLiteral("Scroll issue %1").arg(i);
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
    list->scrollTo(model->index(row, 1), QAbstractItemView::PositionAtCenter);
    const int scroll = list->verticalScrollBar()->value();
    QVERIFY(scroll > 0);
    const qint64 selected = model->issueId(row);

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

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
