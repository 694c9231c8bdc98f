// Triage from the list (issue 14), offscreen: the detail is the current row
// whether it moved by j/k, a click, a search or a project switch; actions hit
// the issue on screen; resolve/ignore take it out of the default
// `is:unresolved` view and undo brings it back; the context menu, the empty
// and stale states. Events are captured SDK payloads through the real writer.
#include "dark_palette.h"
#include "detail_waits.h"
#include "list_waits.h"
#include "settle_layouts.h"
#include "ui_test_data.h"

#include "storage/issue_queries.h"
#include "storage/project_store.h"
#include "storage/storage_gateway.h"
#include "ui/issue_detail_view.h"
#include "ui/main_window.h"
#include "ui/query_bar.h"
#include "ui/triage/issue_list_model.h"
#include "ui/triage/project_list_model.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>

using namespace faultline;
using namespace faultline::test;

class TestTriageList : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void defaultViewIsUnresolvedPerProject();
    void detailFollowsTheKeysLazily();
    void anActionHitsTheShownIssue();
    void detailFollowsAClick();
    void detailFollowsSearchAndEmptiesWithTheList();
    void detailFollowsAProjectSwitch();
    void resolveHidesAndUndoRestores();
    void ignoreUntilAndTheStatusColumn();
    void contextMenuAndDisabledActions();
    void invalidQueryMarksResultsStale();
    void allProjectsShowsEachRowsProject();
    void listFitsItsWidth();
    void screenshots(); // with FAULTLINE_SCREENSHOT_DIR set

private:
    std::unique_ptr<MainWindow> openWindow();
    QString storedStatus(qint64 issueId) const;
    int projectRow(MainWindow &window, qint64 projectId) const;
    static qint64 shownId(MainWindow &window)
    {
        return window.detailView()->issue() ? window.detailView()->issue()->id : 0;
    }
    static qint64 currentId(MainWindow &window)
    {
        const QModelIndex current = window.issueView()->currentIndex();
        return current.isValid() ? window.issueModel()->issueId(current.row()) : 0;
    }

    UiTestDatabase m_data;
    std::unique_ptr<StorageGateway> m_storage; // made by the first window, gone before m_data
    qint64 m_otherProject = 0;
};

void TestTriageList::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("faultline-ui-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_triage_list"));
    QVERIFY(m_data.start());
    const qint64 base = QDateTime::currentMSecsSinceEpoch() - 40 * 60'000;
    QVERIFY(m_data.writeFixtures(base));
    QString error;
    auto db = Database::open(m_data.path(), Database::Mode::ReadWrite, &error);
    QVERIFY2(db, qPrintable(error));
    m_otherProject = ProjectStore(*db).add(QStringLiteral("web"))->id;
    QVERIFY(m_otherProject > 1);
    QVERIFY(m_data.write({ fixtureIncoming(QStringLiteral("node_exception_envelope"), base, 900, m_otherProject),
        fixtureIncoming(QStringLiteral("node_message_envelope"), base + 1000, 901, m_otherProject) }));
}

void TestTriageList::init() { QSettings().clear(); } // each test starts from the default view

std::unique_ptr<MainWindow> TestTriageList::openWindow()
{
    MainWindowContext context;
    context.dbPath = m_data.path();
    if (!m_storage)
        m_storage = std::make_unique<StorageGateway>(m_data.path());
    context.storage = m_storage.get();
    context.collectorHostPort = QStringLiteral("127.0.0.1:8990");
    context.writer = m_data.writer();
    auto window = std::make_unique<MainWindow>(context);
    window->resize(1400, 900);
    window->show();
    QApplication::setActiveWindow(window.get());
    if (!QTest::qWaitForWindowActive(window.get()))
        qWarning() << "window did not become active";
    if (!listSettled(*window))
        qWarning() << "the list did not load";
    window->issueView()->setFocus();
    return window;
}

QString TestTriageList::storedStatus(qint64 issueId) const
{
    QString error;
    auto db = Database::open(m_data.path(), Database::Mode::ReadOnly, &error);
    if (!db)
        return QStringLiteral("missing");
    const auto issue = IssueQueries(*db).byId(issueId);
    return issue ? issue->status : QStringLiteral("missing");
}

int TestTriageList::projectRow(MainWindow &window, qint64 projectId) const
{
    return window.projectModel()->rowOfProject(projectId);
}

void TestTriageList::defaultViewIsUnresolvedPerProject()
{
    auto window = openWindow();
    QCOMPARE(window->queryBar()->text(), QStringLiteral("is:unresolved")); // shown, so it can be removed
    const int unresolved = window->issueModel()->rowCount();
    QVERIFY(unresolved >= 10);

    // Changed in one project, it stays there; another project starts from the default.
    window->queryBar()->setText(QStringLiteral("is:unresolved level:error"));
    QVERIFY(listSettled(*window));
    const int errors = window->issueModel()->rowCount();
    QVERIFY(errors < unresolved);
    window->projectView()->setCurrentIndex(window->projectModel()->index(projectRow(*window, m_otherProject)));
    QVERIFY(listSettled(*window));
    QCOMPARE(window->queryBar()->text(), QStringLiteral("is:unresolved"));
    QCOMPARE(window->issueModel()->rowCount(), 2);
    window->projectView()->setCurrentIndex(window->projectModel()->index(0)); // All projects
    QVERIFY(listSettled(*window));
    QCOMPARE(window->queryBar()->text(), QStringLiteral("is:unresolved level:error"));

    // A new window remembers it.
    window.reset();
    window = openWindow();
    QCOMPARE(window->queryBar()->text(), QStringLiteral("is:unresolved level:error"));
    QCOMPARE(window->issueModel()->rowCount(), errors);
}

void TestTriageList::detailFollowsTheKeysLazily()
{
    auto window = openWindow();
    QTableView *list = window->issueView();
    QTRY_COMPARE(shownId(*window), currentId(*window)); // the first row opens by itself
    QVERIFY(detailSettled(*window));
    QCOMPARE(list->currentIndex().row(), 0);
    QSignalSpy opened(window->detailView(), &IssueDetailView::eventShown);

    // j held down: the row moves at once, the detail opens once, when the keys stop.
    for (int i = 0; i < 6; ++i)
        QTest::keyClick(list, Qt::Key_J);
    QCOMPARE(list->currentIndex().row(), 6);
    QVERIFY(window->isDetailPending());
    QCOMPARE(opened.size(), 0);
    QTRY_COMPARE(shownId(*window), window->issueModel()->issueId(6));
    QVERIFY(detailSettled(*window)); // its event is read after its header shows
    QCOMPARE(opened.size(), 1);

    // k: the same, one row up.
    QTest::keyClick(list, Qt::Key_K);
    QTRY_COMPARE(shownId(*window), window->issueModel()->issueId(5));
}

void TestTriageList::anActionHitsTheShownIssue()
{
    auto window = openWindow();
    QTableView *list = window->issueView();
    QTRY_COMPARE(shownId(*window), currentId(*window));
    QTest::keyClick(list, Qt::Key_J);
    QTest::keyClick(list, Qt::Key_J);
    QTRY_VERIFY(!window->isDetailPending());
    const qint64 before = shownId(*window);
    // k then i at once, before the detail had time to follow: the issue ignored is the one
    // on screen when it happens — the detail catches up first.
    QTest::keyClick(list, Qt::Key_K);
    const qint64 target = currentId(*window);
    QVERIFY(target != before);
    QSignalSpy finished(window.get(), &MainWindow::statusChangeFinished);
    QTest::keyClick(list, Qt::Key_I);
    QCOMPARE(shownId(*window), target);
    QVERIFY(finished.wait(5000));
    QCOMPARE(storedStatus(target), QStringLiteral("ignored"));
    QCOMPARE(storedStatus(before), QStringLiteral("unresolved"));
    window->undoLastStatusChange();
    QVERIFY(finished.wait(5000));
    QCOMPARE(storedStatus(target), QStringLiteral("unresolved"));
}

void TestTriageList::detailFollowsAClick()
{
    auto window = openWindow();
    QTableView *list = window->issueView();
    const QModelIndex third = window->issueModel()->index(3, IssueListModel::TitleColumn);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(third).center());
    QCOMPARE(list->currentIndex().row(), 3);
    QCOMPARE(shownId(*window), window->issueModel()->issueId(3)); // at once: nothing to wait for
    QVERIFY(list->hasFocus());
}

void TestTriageList::detailFollowsSearchAndEmptiesWithTheList()
{
    auto window = openWindow();
    QTRY_COMPARE(shownId(*window), currentId(*window));
    // A search that leaves the open issue out: the detail shows the new first row.
    window->queryBar()->setText(QStringLiteral("is:unresolved KeyError"));
    QVERIFY(listSettled(*window));
    QVERIFY(window->issueModel()->rowCount() >= 1);
    QTRY_COMPARE(shownId(*window), window->issueModel()->issueId(0));
    QVERIFY(window->detailView()->issue()->title.contains(QLatin1String("KeyError")));
    // One that keeps it keeps it.
    const qint64 keyError = shownId(*window);
    window->queryBar()->setText(QStringLiteral("KeyError"));
    QVERIFY(listSettled(*window));
    QCOMPARE(currentId(*window), keyError);
    QCOMPARE(shownId(*window), keyError);

    // Nothing matches: no detail, and the list says why and how out.
    window->queryBar()->setText(QStringLiteral("is:unresolved nosuchthinganywhere"));
    QVERIFY(listSettled(*window));
    QCOMPARE(window->issueModel()->rowCount(), 0);
    QVERIFY(!window->detailView()->issue());
    QVERIFY(window->noMatchState()->isVisible());
    auto *label = window->findChild<QLabel *>(QStringLiteral("noMatchLabel"));
    QVERIFY2(label->text().contains(QStringLiteral("No unresolved issues match “nosuchthinganywhere”")),
        qPrintable(label->text()));
    QVERIFY(label->text().contains(QLatin1String("Clear filter")));
    emit label->linkActivated(QStringLiteral("clear"));
    QCOMPARE(window->queryBar()->text(), QString());
    QVERIFY(listSettled(*window));
    QVERIFY(window->issueModel()->rowCount() >= 10);
    QVERIFY(!window->noMatchState()->isVisible());
    QTRY_COMPARE(shownId(*window), currentId(*window));
}

void TestTriageList::detailFollowsAProjectSwitch()
{
    auto window = openWindow();
    QTRY_COMPARE(shownId(*window), currentId(*window));
    window->projectView()->setCurrentIndex(window->projectModel()->index(projectRow(*window, m_otherProject)));
    QVERIFY(listSettled(*window));
    QTRY_VERIFY(window->detailView()->issue().has_value());
    QTRY_COMPARE(window->detailView()->issue()->projectId, m_otherProject);
    QCOMPARE(shownId(*window), currentId(*window));
}

void TestTriageList::resolveHidesAndUndoRestores()
{
    auto window = openWindow();
    IssueListModel *model = window->issueModel();
    QTableView *list = window->issueView();
    QTRY_COMPARE(shownId(*window), currentId(*window));
    QTest::keyClick(list, Qt::Key_J);
    QTRY_VERIFY(!window->isDetailPending());
    const int rows = model->rowCount();
    const qint64 resolved = shownId(*window);
    const qint64 below = model->issueId(2);
    QSignalSpy finished(window.get(), &MainWindow::statusChangeFinished);
    QTest::keyClick(list, Qt::Key_R);
    QVERIFY(finished.wait(5000));
    QCOMPARE(storedStatus(resolved), QStringLiteral("resolved"));
    QCOMPARE(model->rowCount(), rows - 1); // out of the is:unresolved view
    QCOMPARE(model->rowOfIssue(resolved), -1);
    QTRY_COMPARE(shownId(*window), below); // the next issue took its row, and the detail
    QVERIFY(window->actionMessage()->isVisible());
    QVERIFY(window->actionMessage()->text().contains(QLatin1String("1 issue resolved")));
    QVERIFY(window->actionMessage()->text().contains(QLatin1String("Undo")));

    // Ctrl+Z brings it back, selected and shown.
    QTest::keyClick(list, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(finished.wait(5000));
    QCOMPARE(storedStatus(resolved), QStringLiteral("unresolved"));
    QCOMPARE(model->rowCount(), rows);
    QCOMPARE(currentId(*window), resolved);
    QTRY_COMPARE(shownId(*window), resolved);
    QVERIFY(!window->canUndo());

    // The message's link undoes too.
    QTest::keyClick(list, Qt::Key_I);
    QVERIFY(finished.wait(5000));
    QCOMPARE(model->rowCount(), rows - 1);
    emit window->actionMessage()->linkActivated(QStringLiteral("undo"));
    QVERIFY(finished.wait(5000));
    QCOMPARE(model->rowCount(), rows);
    QCOMPARE(storedStatus(resolved), QStringLiteral("unresolved"));
}

void TestTriageList::ignoreUntilAndTheStatusColumn()
{
    auto window = openWindow();
    IssueListModel *model = window->issueModel();
    QTRY_COMPARE(shownId(*window), currentId(*window));
    // Unresolved rows carry no pill.
    QCOMPARE(model->index(0, IssueListModel::StatusColumn).data().toString(), QString());
    const qint64 id = shownId(*window);
    QSignalSpy finished(window.get(), &MainWindow::statusChangeFinished);
    window->changeSelectedStatus({ IssueStatus::Ignored, StatusChange::Until::Events, 0, 100 });
    QVERIFY(finished.wait(5000));
    QVERIFY(window->actionMessage()->text().contains(QLatin1String("ignored until 100 more events")));
    window->queryBar()->setText(QStringLiteral("is:ignored"));
    QVERIFY(listSettled(*window));
    QVERIFY(model->issueAt(0).has_value()); // the first page comes with the search
    const int row = model->rowOfIssue(id);
    QVERIFY(row >= 0);
    QCOMPARE(model->index(row, IssueListModel::StatusColumn).data().toString(), QStringLiteral("ignored"));
    QVERIFY(model->index(row, IssueListModel::StatusColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith(QLatin1String("ignored until 100 more events")));
    window->changeSelectedStatus({ IssueStatus::Unresolved, {}, 0, 0 });
    QVERIFY(finished.wait(5000));
    QCOMPARE(storedStatus(id), QStringLiteral("unresolved"));
}

void TestTriageList::contextMenuAndDisabledActions()
{
    auto window = openWindow();
    QTRY_COMPARE(shownId(*window), currentId(*window));
    const auto issue = window->detailView()->issue();
    QMenu *menu = window->rowMenu();
    QStringList texts;
    for (QAction *action : menu->actions())
        texts.append(action->text().remove(QLatin1Char('&')));
    for (const char *expected : { "Resolve", "Resolve in Next Release", "Ignore", "Ignore Until", "Unresolve",
             "Copy Title", "Copy Issue ID", "Open in New Window" })
        QVERIFY2(texts.contains(QLatin1String(expected)), expected);
    for (QAction *action : menu->actions())
        if (action->text() == QLatin1String("Copy Title"))
            action->trigger();
    QCOMPARE(QApplication::clipboard()->text(), issue->title);
    for (QAction *action : menu->actions())
        if (action->text() == QLatin1String("Open in New Window"))
            action->trigger();
    auto *other = window->findChildren<IssueDetailView *>().value(1);
    QVERIFY(other && other->isWindow() && other->isVisible());
    QCOMPARE(other->issue()->id, issue->id);
    delete menu;

    // Nothing selected and nothing shown: every issue action is off.
    auto resolve = [&]() {
        for (QAction *action : window->actions())
            if (action->text() == QLatin1String("&Resolve"))
                return action;
        return static_cast<QAction *>(nullptr);
    }();
    QVERIFY(resolve && resolve->isEnabled());
    window->queryBar()->setText(QStringLiteral("nosuchthingatall"));
    QVERIFY(listSettled(*window));
    QVERIFY(!resolve->isEnabled());
    window->queryBar()->setText(QStringLiteral("is:unresolved"));
    QVERIFY(listSettled(*window));
    QTRY_VERIFY(resolve->isEnabled());
}

void TestTriageList::invalidQueryMarksResultsStale()
{
    auto window = openWindow();
    const int rows = window->issueModel()->rowCount();
    QSignalSpy validity(window->queryBar(), &QueryBar::validityChanged);
    window->queryBar()->setText(QStringLiteral("level:bogus is:nothing \"open"));
    QVERIFY(listSettled(*window));
    QVERIFY(window->queryBar()->hasError());
    QCOMPARE(window->queryBar()->errorSpans().size(), 3); // every mistake, not only the first
    const QString text = window->queryBar()->errorText();
    QVERIFY(text.startsWith(QLatin1String("3 mistakes")));
    QVERIFY(text.contains(QLatin1String("level:bogus")));
    QVERIFY(text.contains(QLatin1String("nothing")));
    QVERIFY(text.contains(QLatin1String("unterminated quote")));
    QVERIFY(window->staleLabel()->isVisible());
    QVERIFY(!window->issueView()->isEnabled());
    QCOMPARE(window->issueModel()->rowCount(), rows); // the last good results stay, marked
    QCOMPARE(validity.size(), 1);
    window->queryBar()->setText(QStringLiteral("is:unresolved"));
    QVERIFY(listSettled(*window));
    QVERIFY(!window->staleLabel()->isVisible());
    QVERIFY(window->issueView()->isEnabled());
}

void TestTriageList::allProjectsShowsEachRowsProject()
{
    auto window = openWindow();
    IssueListModel *model = window->issueModel();
    QSet<QString> names;
    for (int r = 0; r < model->rowCount(); ++r)
        names.insert(model->index(r, IssueListModel::TitleColumn).data(IssueListModel::ProjectNameRole).toString());
    QVERIFY(names.contains(QStringLiteral("web")));
    QVERIFY(!names.contains(QString()));
    window->projectView()->setCurrentIndex(window->projectModel()->index(projectRow(*window, m_otherProject)));
    QVERIFY(listSettled(*window));
    QCOMPARE(model->index(0, IssueListModel::TitleColumn).data(IssueListModel::ProjectNameRole).toString(), QString());
}

void TestTriageList::listFitsItsWidth()
{
    auto window = openWindow();
    QTableView *list = window->issueView();
    const auto visible = [list](int column) { return !list->isColumnHidden(column); };
    for (const QSize size : { QSize(1000, 700), QSize(1280, 720), QSize(1920, 1080) }) {
        window->resize(size);
        QTRY_COMPARE(window->size(), size);
        QVERIFY(settleLayouts(window.get()));
        // No column hides behind a scrollbar; the title gets at least ~40 characters.
        QVERIFY2(!list->horizontalScrollBar()->isVisible(), qPrintable(QStringLiteral("%1 wide").arg(size.width())));
        QVERIFY(list->columnWidth(IssueListModel::TitleColumn) >= 40 * list->fontMetrics().averageCharWidth());
        QVERIFY(visible(IssueListModel::LevelColumn) && visible(IssueListModel::EventsColumn));
        QVERIFY(!visible(IssueListModel::StatusColumn)); // its pill is in the row's second line
        if (size.width() >= 1920)
            for (int column :
                { IssueListModel::TrendColumn, IssueListModel::FirstSeenColumn, IssueListModel::LastSeenColumn })
                QVERIFY2(visible(column), qPrintable(QString::number(column)));
        // The numbers stay narrow however wide the window.
        QVERIFY(list->columnWidth(IssueListModel::EventsColumn) < 80);
    }
}

void TestTriageList::screenshots()
{
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
    QDir().mkpath(dir);
    // A resolved, an ignored-until and a regressed issue, so the pills show in the "all" view.
    {
        auto window = openWindow();
        QSignalSpy finished(window.get(), &MainWindow::statusChangeFinished);
        QTest::keyClick(window->issueView(), Qt::Key_J);
        window->changeSelectedStatus({ IssueStatus::Ignored, StatusChange::Until::Events, 0, 100 });
        QVERIFY(finished.wait(5000));
        window->changeSelectedStatus({ IssueStatus::Resolved, StatusChange::Until::NextRelease, 0, 0 });
        QVERIFY(finished.wait(5000));
    }
    auto shoot = [&](const QString &name, QSize size, const QString &query) {
        QSettings().clear();
        auto window = openWindow();
        window->resize(size);
        window->queryBar()->setText(query);
        QVERIFY(listSettled(*window));
        // The list has read the query and the detail followed its current row (after its delay).
        QTRY_VERIFY(window->issueModel()->rowCount() == 0 || window->detailView()->issue().has_value());
        QVERIFY(settleLayouts(window.get()));
        QVERIFY(window->grab().save(dir + QLatin1Char('/') + name));
    };
    shoot(QStringLiteral("triage_list_1280x720.png"), QSize(1280, 720), QStringLiteral("is:unresolved"));
    shoot(QStringLiteral("triage_list_1000x700.png"), QSize(1000, 700), QStringLiteral("is:unresolved"));
    shoot(QStringLiteral("triage_list_1920x1080.png"), QSize(1920, 1080), QString());
    shoot(QStringLiteral("triage_empty_state.png"), QSize(1280, 720), QStringLiteral("is:unresolved nosuchthing"));
    shoot(QStringLiteral("triage_invalid_query.png"), QSize(1280, 720),
        QStringLiteral("is:unresolved level:loud age:soon \"open"));
    {
        QSettings().clear();
        auto window = openWindow();
        window->resize(1280, 720);
        QVERIFY(settleLayouts(window.get()));
        QMenu *menu = window->rowMenu();
        menu->popup(window->mapToGlobal(QPoint(400, 200)));
        QVERIFY(settleLayouts(menu));
        QVERIFY(menu->grab().save(dir + QStringLiteral("/triage_context_menu.png")));
        delete menu;
    }
    const QPalette light = QApplication::palette();
    QApplication::setPalette(darkTestPalette());
    shoot(QStringLiteral("triage_list_dark.png"), QSize(1280, 720), QString());
    QApplication::setPalette(light);
}

QTEST_MAIN(TestTriageList)
#include "tst_triage_list.moc"
