// Every desktop a viewer (#18): two windows on one PostgreSQL database, each
// with its own storage gateway and change listener, wired as
// `faultline --db postgresql://…` wires them (app/postgres_viewer.h). A
// resolve in one shows in the other; events a collector commits show in
// both; when the server goes away both say "Disconnected …, retrying" and keep
// what they show, and once it is back they read everything again. With
// FAULTLINE_SCREENSHOT_DIR set it saves the disconnected window at 1000×700,
// light and dark.
#include "app/postgres_viewer.h"
#include "storage/backend.h"
#include "storage/postgres/pg_change_listener.h"
#include "storage/postgres/pg_uri.h"
#include "storage/storage_gateway.h"
#include "ui/detail_waits.h"
#include "ui/list_waits.h"
#include "ui/main_window.h"
#include "ui/postgres_window_fixture.h"
#include "ui/screenshots.h"
#include "ui/settle_layouts.h"
#include "ui/triage/issue_list_model.h"
#include "ui/ui_test_data.h"
#include "ui/warning_banner.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr int kShownWithinMs = 5000; // the promise is a second; the margin is for a loaded CI machine

// One desktop: its gateway, its window and its listener, as app/run_server.cpp makes them.
struct Desktop {
    explicit Desktop(const QString &uri)
        : storage(uri)
        , listener(uri)
    {
        QSettings().remove(QStringLiteral("issueList/query")); // the default view: is:unresolved
        MainWindowContext context;
        context.dbPath = connectionStringForLog(uri);
        context.storage = &storage;
        context.collectedBy = postgresViewerStatus(uri);
        window = std::make_unique<MainWindow>(context);
        window->resize(1000, 700);
        connectLiveUpdates(listener, *window, uri);
    }
    ~Desktop() { listener.stop(); }

    bool start()
    {
        QSignalSpy listening(&listener, &PgChangeListener::listening);
        listener.start();
        window->show();
        return listening.wait(kShownWithinMs) && listSettled(*window) && detailSettled(*window);
    }
    QStringList titles() const
    {
        QStringList shown;
        for (int row = 0; row < window->issueModel()->rowCount(); ++row)
            shown.append(window->issueModel()->index(row, 0).data(IssueListModel::TitleRole).toString());
        return shown;
    }

    StorageGateway storage;
    PgChangeListener listener;
    std::unique_ptr<MainWindow> window;
};

} // namespace

class TestPgLiveWindows : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void aResolveInOneShowsInTheOther();
    void aCollectorsEventsShowInBoth();
    void aLostServerIsSaidAndWhatIsShownStays();
    void whatKeepsTheWindowFromOpeningIsSaidFirst();

private:
    // As a collector elsewhere commits them: the EventWriter on its own connection.
    bool collect(const QList<IncomingEvent> &events) { return writeAsCollector(uri(), events); }
    QString uri() const { return m_postgresDb.uri(); }

    PostgresWindowFixture m_postgresDb;
    int m_issues = 0;
};

void TestPgLiveWindows::initTestCase()
{
    QVERIFY(m_postgresDb.start(QStringLiteral("shared")));
    QVERIFY(writeAsCollector(uri(), fixtureEventsOverHours(QDateTime::currentMSecsSinceEpoch())));
    m_issues = int(eventFixtureNames().size());
}

void TestPgLiveWindows::aResolveInOneShowsInTheOther()
{
    Desktop alice(uri());
    Desktop bob(uri());
    QVERIFY(alice.start());
    QVERIFY(bob.start());
    QCOMPARE(bob.window->issueModel()->rowCount(), m_issues);
    QCOMPARE(bob.titles(), alice.titles());

    IssueListModel *model = alice.window->issueModel();
    const QString resolved = alice.titles().constFirst();
    alice.window->issueView()->setCurrentIndex(model->index(0, IssueListModel::TitleColumn));
    alice.window->syncDetailNow();
    QSignalSpy finished(alice.window.get(), &MainWindow::statusChangeFinished);
    QElapsedTimer sinceResolve;
    sinceResolve.start();
    alice.window->setSelectedStatus(IssueStatus::Resolved);
    QVERIFY(finished.wait(kShownWithinMs));
    QCOMPARE(finished.first().first().toInt(), 1);

    // Bob did nothing: his window hears the commit and reads the list again.
    QTRY_VERIFY_WITH_TIMEOUT(!bob.titles().contains(resolved), kShownWithinMs);
    qInfo("the other window showed the resolve %lld ms after it was asked for", sinceResolve.elapsed());
    QCOMPARE(bob.window->issueModel()->rowCount(), m_issues - 1);

    alice.window->undoLastStatusChange(); // and back, for the tests after this one
    QVERIFY(finished.wait(kShownWithinMs));
    QTRY_VERIFY_WITH_TIMEOUT(bob.titles().contains(resolved), kShownWithinMs);
}

void TestPgLiveWindows::aCollectorsEventsShowInBoth()
{
    Desktop alice(uri());
    Desktop bob(uri());
    QVERIFY(alice.start());
    QVERIFY(bob.start());
    // A new issue: a fixture's event under another fingerprint.
    IncomingEvent fresh
        = fixtureIncoming(QStringLiteral("python_message_store"), QDateTime::currentMSecsSinceEpoch(), 7);
    fresh.issue.fingerprint = QStringLiteral("live-windows-new-issue");
    QVERIFY(collect({ fresh }));
    for (Desktop *desktop : { &alice, &bob })
        QTRY_COMPARE_WITH_TIMEOUT(desktop->window->issueModel()->rowCount(), m_issues + 1, kShownWithinMs);
    ++m_issues;
}

void TestPgLiveWindows::aLostServerIsSaidAndWhatIsShownStays()
{
    Desktop bob(uri());
    QVERIFY(bob.start());
    QVERIFY(bob.window->storageBanner()->message().isEmpty());
    const QStringList shown = bob.titles();
    QVERIFY(!shown.isEmpty());

    QVERIFY2(m_postgresDb.cluster().stop(), qPrintable(m_postgresDb.cluster().error()));
    QTRY_VERIFY_WITH_TIMEOUT(!bob.window->storageBanner()->message().isEmpty(), kShownWithinMs);
    const QString banner = bob.window->storageBanner()->message();
    QVERIFY2(banner.startsWith(QStringLiteral("Disconnected from PostgreSQL (127.0.0.1:%1/shared), retrying")
                                   .arg(m_postgresDb.cluster().port())),
        qPrintable(banner));
    QCOMPARE(bob.titles(), shown); // nothing on screen was dropped

    shootLightAndDark([&](const ThemedShots &shots) {
        QVERIFY(settleLayouts(bob.window.get()));
        QVERIFY(shots.save(QStringLiteral("window_postgres_disconnected"), bob.window->grab()));
    });

    QVERIFY2(m_postgresDb.cluster().startAgain(), qPrintable(m_postgresDb.cluster().error()));
    // The listener's back-off is at most 10 s; then the banner goes and the list is read again.
    QTRY_VERIFY_WITH_TIMEOUT(bob.window->storageBanner()->message().isEmpty(),
        int(PgChangeListener::kLongestRetry.count()) + kShownWithinMs);
    // Its gateway reads on a new connection: a collector's event shows.
    IncomingEvent after
        = fixtureIncoming(QStringLiteral("python_message_store"), QDateTime::currentMSecsSinceEpoch(), 8);
    after.issue.fingerprint = QStringLiteral("live-windows-after-restart");
    QVERIFY(collect({ after }));
    QTRY_COMPARE_WITH_TIMEOUT(bob.window->issueModel()->rowCount(), int(shown.size()) + 1, kShownWithinMs);
}

// Before the window opens: an unreachable server is exit code 9's dialog, a database without
// Faultline's schema says how to make one (a window does not create or migrate a shared database).
void TestPgLiveWindows::whatKeepsTheWindowFromOpeningIsSaidFirst()
{
    QString warning;
    QCOMPARE(checkPostgresForWindow(uri(), &warning), std::nullopt);
    QVERIFY(warning.isEmpty());

    const std::optional<StartupFailure> unreachable
        = checkPostgresForWindow(QStringLiteral("postgresql://faultline:hunter2secret@127.0.0.1:1/shared"), &warning);
    QVERIFY(unreachable);
    QCOMPARE(unreachable->problem, StartupProblem::DatabaseUnreachable);
    QCOMPARE(unreachable->exitCode(), int(kExitDatabaseUnreachable));
    QVERIFY2(!unreachable->text().contains(QStringLiteral("hunter2secret")), qPrintable(unreachable->text()));
    QVERIFY2(unreachable->heading().contains(QStringLiteral("postgresql://faultline:***@127.0.0.1:1/shared")),
        qPrintable(unreachable->heading()));

    QVERIFY2(
        m_postgresDb.cluster().createDatabase(QStringLiteral("empty")), qPrintable(m_postgresDb.cluster().error()));
    const std::optional<StartupFailure> empty
        = checkPostgresForWindow(m_postgresDb.cluster().uri(QStringLiteral("empty")), &warning);
    QVERIFY(empty);
    QCOMPARE(empty->problem, StartupProblem::DatabaseUnopenable);
    QVERIFY2(empty->detail.contains(QStringLiteral("faultline --headless --db URI")), qPrintable(empty->detail));
}

QTEST_MAIN(TestPgLiveWindows)
#include "tst_pg_live_windows.moc"
