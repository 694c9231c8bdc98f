// The main window on PostgreSQL (#18 "every desktop a viewer", #16 item 3):
// the same captured client events written by the real EventWriter into a
// SQLite file and into a throw-away PostgreSQL cluster; a MainWindow on a
// StorageGateway over each. The PostgreSQL window must list the same issues
// with the same counts and trends, filter to the same rows, show the same
// projects, and resolve (and undo) and merge through the window, read back
// through the backend. With FAULTLINE_SCREENSHOT_DIR set it saves the window on
// PostgreSQL at 1000×700, light and dark.
#include "detail_waits.h"
#include "list_waits.h"
#include "postgres_window_fixture.h"
#include "screenshots.h"
#include "settle_layouts.h"
#include "ui_test_data.h"

#include "storage/backend.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/main_window.h"
#include "ui/query_bar.h"
#include "ui/triage/issue_list_model.h"
#include "ui/triage/project_list_model.h"

#include <QApplication>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

// One row of the list as a user reads it.
struct ShownRow {
    QString title;
    qint64 count = 0;
    QString level;
    QString status;
    QList<qint64> trend;
    friend bool operator==(const ShownRow &, const ShownRow &) = default;
};

QDebug operator<<(QDebug debug, const ShownRow &row)
{
    return debug << row.title << row.count << row.level << row.status << row.trend;
}

QList<ShownRow> shownRows(const MainWindow &window)
{
    QList<ShownRow> rows;
    const IssueListModel *model = window.issueModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, IssueListModel::TitleColumn);
        rows.append(ShownRow { index.data(IssueListModel::TitleRole).toString(),
            index.data(IssueListModel::CountRole).toLongLong(), index.data(IssueListModel::LevelRole).toString(),
            index.data(IssueListModel::StatusRole).toString(), model->trend(row) });
    }
    return rows;
}

// The project list as shown: name and subtitle ("3 unresolved", "waiting for first event").
QStringList shownProjects(const MainWindow &window)
{
    QStringList projects;
    const ProjectListModel *model = window.projectModel();
    for (int row = 0; row < model->rowCount(); ++row)
        projects.append(model->index(row).data().toString() + QStringLiteral(" — ")
            + model->index(row).data(ProjectListModel::SubtitleRole).toString());
    return projects;
}

} // namespace

class TestWindowPostgres : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sameIssuesAsOnSqlite();
    void filteringGivesTheSameRows();
    void resolveFromTheWindowChangesTheRow();
    void projectAddedElsewhereShows();
    void screenshots();
    void mergeFromTheWindow(); // last: it changes the issues

private:
    std::unique_ptr<MainWindow> openWindow(StorageGateway &storage) const
    {
        return openTestWindow(storage, storage.isPostgres() ? uri() : m_sqlitePath);
    }
    QString uri() const { return m_postgresDb.uri(); }

    PostgresWindowFixture m_postgresDb;
    QTemporaryDir m_dir;
    QString m_sqlitePath;
    std::unique_ptr<StorageGateway> m_sqlite;
    std::unique_ptr<StorageGateway> m_postgres;
    int m_issues = 0;
};

void TestWindowPostgres::initTestCase()
{
    QVERIFY(m_postgresDb.start(QStringLiteral("window")));
    // Every captured error event, a minute apart over the last hours; four of them again
    // (new event ids), so counts and trends differ between issues.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<IncomingEvent> events = fixtureEventsOverHours(now);
    int copy = 0;
    for (const char *name : { "python_exception_store", "python_exception_store", "django_request_store" }) {
        ++copy;
        events.append(fixtureIncoming(QString::fromLatin1(name), now - (4 - copy) * 3600'000, copy));
    }
    events.append(fixtureIncoming(QStringLiteral("python_message_store"), now - 60'000, ++copy)); // a warning

    // Both through the EventWriter the collector uses, in the same order: the backends hand out
    // the same ids, and equal times sort the same.
    m_sqlitePath = m_dir.filePath(QStringLiteral("window.db"));
    for (const QString &location : { m_sqlitePath, uri() })
        QVERIFY(writeAsCollector(location, events));
    m_sqlite = std::make_unique<StorageGateway>(m_sqlitePath);
    m_postgres = std::make_unique<StorageGateway>(uri());
    QVERIFY(m_postgres->isPostgres());
}

void TestWindowPostgres::cleanupTestCase()
{
    m_sqlite.reset();
    m_postgres.reset(); // its connections close before the cluster stops
}

void TestWindowPostgres::sameIssuesAsOnSqlite()
{
    auto onSqlite = openWindow(*m_sqlite);
    auto onPostgres = openWindow(*m_postgres);
    QVERIFY(onPostgres->openError().isEmpty());
    const QList<ShownRow> expected = shownRows(*onSqlite);
    QCOMPARE(int(expected.size()), int(eventFixtureNames().size())); // one issue per fixture, all unresolved
    QCOMPARE(shownRows(*onPostgres), expected);
    // The repeated Python exception leads by count, with its repeats in the trend.
    qint64 most = 0;
    for (const ShownRow &row : expected)
        most = qMax(most, row.count);
    QCOMPARE(most, qint64(3));
    QCOMPARE(shownProjects(*onPostgres), shownProjects(*onSqlite));
    QVERIFY2(shownProjects(*onPostgres).last().contains(QStringLiteral("unresolved")),
        qPrintable(shownProjects(*onPostgres).join(u'|')));
    m_issues = int(expected.size());
}

void TestWindowPostgres::filteringGivesTheSameRows()
{
    auto onSqlite = openWindow(*m_sqlite);
    auto onPostgres = openWindow(*m_postgres);
    for (const char *search :
        { "is:unresolved level:error", "level:warning", "ZeroDivisionError", "nosuchwordanywhere" }) {
        for (MainWindow *window : { onSqlite.get(), onPostgres.get() }) {
            window->queryBar()->setText(QString::fromLatin1(search));
            QVERIFY(listSettled(*window));
        }
        const QList<ShownRow> expected = shownRows(*onSqlite);
        QCOMPARE(shownRows(*onPostgres), expected);
        // Not a parity of empty lists: the level searches split the issues.
        if (QByteArrayView(search).startsWith("is:unresolved") || QByteArrayView(search) == "level:warning")
            QVERIFY2(!expected.isEmpty() && expected.size() < m_issues, search);
    }
    QVERIFY(onPostgres->noMatchState()->isVisible()); // the last search found nothing, and says so
}

void TestWindowPostgres::resolveFromTheWindowChangesTheRow()
{
    auto window = openWindow(*m_postgres);
    IssueListModel *model = window->issueModel();
    QVERIFY(model->rowCount() > 1);
    const qint64 issueId = model->issueId(0);
    window->issueView()->setCurrentIndex(model->index(0, IssueListModel::TitleColumn));
    window->syncDetailNow();

    auto backend = openStorageBackend(uri(), BackendUse::Read);
    QVERIFY2(backend, qPrintable(backend.error().detail));
    const auto storedStatus = [&]() {
        const auto issue = backend.value()->issues().byId(issueId);
        return issue ? issue->status : QString();
    };
    QCOMPARE(storedStatus(), QStringLiteral("unresolved"));

    QSignalSpy finished(window.get(), &MainWindow::statusChangeFinished);
    window->setSelectedStatus(IssueStatus::Resolved);
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.first().first().toInt(), 1);
    QCOMPARE(storedStatus(), QStringLiteral("resolved"));
    QCOMPARE(model->rowOfIssue(issueId), -1); // out of the default is:unresolved view
    QCOMPARE(model->rowCount(), m_issues - 1);
    QVERIFY(window->actionMessage()->text().contains(QStringLiteral("resolved")));

    window->undoLastStatusChange();
    QVERIFY(finished.wait(10'000));
    QCOMPARE(storedStatus(), QStringLiteral("unresolved"));
    QTRY_VERIFY(model->rowOfIssue(issueId) >= 0);
    QCOMPARE(model->rowCount(), m_issues);

    // The issue opens by id through the gateway, as a notification or a link opens it.
    const int other = model->rowOfIssue(issueId) == 0 ? 1 : 0;
    window->issueView()->setCurrentIndex(model->index(other, IssueListModel::TitleColumn));
    QVERIFY(shownAnswer(window->openIssue(issueId)));
    QCOMPARE(model->issueId(window->issueView()->currentIndex().row()), issueId); // selected in the list
    QVERIFY(detailSettled(*window));
    QCOMPARE(window->detailView()->issue()->id, issueId);
    QCOMPARE(window->detailView()->issue()->title, backend.value()->issues().byId(issueId)->title);
    QVERIFY(!shownAnswer(window->openIssue(999'999), true));
}

void TestWindowPostgres::projectAddedElsewhereShows()
{
    auto window = openWindow(*m_postgres);
    QCOMPARE(window->projectModel()->rowCount(), 2); // All projects, default
    auto backend = openStorageBackend(uri(), BackendUse::Write); // as `faultline projects add` does
    QVERIFY2(backend, qPrintable(backend.error().detail));
    QVERIFY(backend.value()->projects().add(QStringLiteral("billing")));
    QSignalSpy refreshed(window.get(), &MainWindow::refreshed);
    window->refreshNow();
    QVERIFY(refreshed.wait(10'000));
    QCOMPARE(shownProjects(*window).last(), QStringLiteral("billing — waiting for first event"));
    QCOMPARE(window->projectView()->currentIndex().row(), 0); // All projects stays selected
}

void TestWindowPostgres::screenshots()
{
    if (screenshotDir().isEmpty())
        QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
    shootLightAndDark([&](const ThemedShots &shots) {
        auto window = openWindow(*m_postgres);
        window->resize(1000, 700);
        window->issueView()->setCurrentIndex(window->issueModel()->index(0, IssueListModel::TitleColumn));
        window->syncDetailNow();
        QVERIFY(listSettled(*window));
        QVERIFY(detailSettled(*window));
        QVERIFY(window->detailView()->issue());
        QVERIFY(settleLayouts(window.get()));
        QVERIFY(shots.save(QStringLiteral("window_postgres"), window->grab()));
    });
}

void TestWindowPostgres::mergeFromTheWindow()
{
    auto window = openWindow(*m_postgres);
    IssueListModel *model = window->issueModel();
    // The two ZeroDivisionErrors (a handled one from Python, an unhandled one from Django).
    QList<qint64> ids;
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data(IssueListModel::TitleRole).toString().startsWith(u"ZeroDivisionError"))
            ids.append(model->issueId(row));
    QCOMPARE(ids.size(), 2);
    QItemSelection both;
    for (qint64 id : ids)
        both.select(model->index(model->rowOfIssue(id), 0), model->index(model->rowOfIssue(id), 1));
    window->issueView()->selectionModel()->select(
        both, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(window->selectedIssueIds().size(), 2);

    QSignalSpy finished(window.get(), &MainWindow::groupingChangeFinished);
    window->mergeSelectedIssues();
    QVERIFY(finished.wait(10'000));
    const qint64 survivor = finished.first().first().toLongLong();
    QVERIFY2(ids.contains(survivor), qPrintable(window->actionMessage()->text()));
    const qint64 merged = ids.first() == survivor ? ids.last() : ids.first();
    QCOMPARE(model->rowOfIssue(merged), -1);
    QCOMPARE(model->rowCount(), m_issues - 1);

    auto backend = openStorageBackend(uri(), BackendUse::Read);
    QVERIFY2(backend, qPrintable(backend.error().detail));
    QVERIFY(!backend.value()->issues().byId(merged));
    QCOMPARE(backend.value()->issues().byId(survivor)->count, qint64(3 + 2)); // every event moved in
}

QTEST_MAIN(TestWindowPostgres)
#include "tst_window_postgres.moc"
