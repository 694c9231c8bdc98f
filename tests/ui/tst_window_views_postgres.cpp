// The window's other views and dialogs on PostgreSQL (#18 "every desktop a
// viewer"): the same captured client events (with the 500.html a real SDK
// attached) written by the real EventWriter into SQLite and into a throw-away
// PostgreSQL cluster. On each backend the Pages tab must list the same pages,
// the Overview the same day, the Dropped events view the same refusals; the
// Connect dialog must see the events, add, rotate and delete a project, and on
// a viewer role say in words that it may not; source roots and notification
// rules must be stored where they belong. With FAULTLINE_SCREENSHOT_DIR set it
// saves the Pages tab, the Overview and the Connect dialog on PostgreSQL at
// 1000×700, light and dark.
#include "list_waits.h"
#include "postgres_window_fixture.h"
#include "screenshots.h"
#include "settle_layouts.h"
#include "ui_test_data.h"

#include "storage/app_state.h"
#include "storage/backend.h"
#include "storage/dropped_events.h"
#include "storage/postgres/pg_backend.h"
#include "storage/postgres/pg_drop_store.h"
#include "storage/postgres/pg_roles.h"
#include "storage/project_tools.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/connect_dialog.h"
#include "ui/dropped_events_view.h"
#include "ui/main_window.h"
#include "ui/page_preview.h"
#include "ui/pages_view.h"
#include "ui/project_overview_view.h"
#include "ui/settings_storage.h"
#include "ui/source_workspace.h"
#include "ui/triage/dropped_events_model.h"
#include "ui/triage/pages_model.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QUrl>

using namespace faultline;
using namespace faultline::test;

namespace {

// The Pages tab as a user reads it: status, events, issues and releases of each row.
QStringList shownPages(const PagesModel &model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const DistinctPage page = model.page(row);
        rows.append(QStringLiteral("%1 %2 events %3 issues [%4] %5 %6")
                        .arg(page.statusCode)
                        .arg(page.filename)
                        .arg(page.events)
                        .arg(page.issueTitles.join(u'|'), page.releases.join(u','), page.sha256));
    }
    return rows;
}

QStringList shownOverview(const ProjectOverview &overview)
{
    QStringList lines;
    for (const ProjectActivity &project : overview.projects)
        lines.append(QStringLiteral("%1: %2 events").arg(project.name).arg(project.total()));
    for (const IssueRow &issue : overview.newIssues)
        lines.append(QStringLiteral("new: %1 ×%2").arg(issue.title).arg(issue.count));
    return lines;
}

QList<DropRecord> refusals()
{
    DropExample example;
    example.receivedMs = QDateTime::currentMSecsSinceEpoch();
    example.status = 413;
    example.size = 30'000'000;
    example.peer = QStringLiteral("10.0.0.7:51234");
    example.request = QStringLiteral("POST /api/1/envelope/ (gzip, sentry.python/1.40.0)");
    example.head = QByteArray("\x1f\x8b\x08\x00", 4);
    example.answer = QStringLiteral("{\"detail\":\"the body is larger than 20 MiB\"}");
    return { DropRecord { 1, QStringLiteral("too_large"), 2, example },
        DropRecord { 0, QStringLiteral("unparseable"), 3, std::nullopt } };
}

bool confirmEverything(const QString &, const QString &) { return true; }

} // namespace

class TestWindowViewsPostgres : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void pagesTabListsTheSamePages();
    void overviewShowsTheSameDay();
    void droppedEventsShowTheSameRefusals();
    void connectDialogSeesTheEventsAndChangesProjects();
    void viewerIsToldWhatItMayNot();
    void sourceRootsAreSharedNotificationRulesPersonal();
    void screenshots();

private:
    std::unique_ptr<MainWindow> openWindow(StorageGateway &storage) const
    {
        return openTestWindow(storage, storage.isPostgres() ? storage.path() : m_sqlitePath);
    }
    QString uri() const { return m_postgresDb.uri(); }
    QString viewerUri() const;

    PostgresWindowFixture m_postgresDb;
    QTemporaryDir m_dir;
    QString m_sqlitePath;
    std::unique_ptr<StorageGateway> m_sqlite;
    std::unique_ptr<StorageGateway> m_postgres;
    StorageBackend *m_pgAdmin = nullptr; // the tables' owner: checks what the window stored
    qsizetype m_events = 0;
};

void TestWindowViewsPostgres::initTestCase()
{
    QVERIFY(m_postgresDb.start(QStringLiteral("views")));
    m_pgAdmin = &m_postgresDb.owner();
    // Every captured error event over the last hours, the envelope with its 500.html; two of them again.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<IncomingEvent> events = fixtureEventsOverHours(now);
    events.append(fixtureIncoming(QStringLiteral("attachment_html_envelope"), now - 3600'000, 1));
    events.last().attachments = fixtureAttachments(QStringLiteral("attachment_html_envelope"));
    events.append(fixtureIncoming(QStringLiteral("python_exception_store"), now - 60'000, 2));
    m_events = events.size();

    m_sqlitePath = m_dir.filePath(QStringLiteral("views.db"));
    for (const QString &location : { m_sqlitePath, uri() })
        QVERIFY(writeAsCollector(location, events));
    // What the collectors refused, the same on both.
    auto sqlite = openStorageBackend(m_sqlitePath, BackendUse::Write);
    QVERIFY(sqlite);
    QString error;
    QVERIFY2(DroppedEventsStore(static_cast<SqliteBackend &>(**sqlite).database()).addRefusals(refusals(), now, &error),
        qPrintable(error));
    QVERIFY(PgDropStore(static_cast<PgBackend &>(*m_pgAdmin).connection()).addRefusals(refusals(), now));

    m_sqlite = std::make_unique<StorageGateway>(m_sqlitePath);
    m_postgres = std::make_unique<StorageGateway>(uri());
    QVERIFY(m_postgres->isPostgres());
}

void TestWindowViewsPostgres::cleanupTestCase()
{
    m_sqlite.reset();
    m_postgres.reset(); // their connections close before the cluster stops
}

QString TestWindowViewsPostgres::viewerUri() const
{
    return QStringLiteral("postgresql://127.0.0.1:%1/views?user=%2")
        .arg(m_postgresDb.cluster().port())
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(PgRoleNames().viewer)));
}

void TestWindowViewsPostgres::pagesTabListsTheSamePages()
{
    QStringList expected;
    for (StorageGateway *storage : { m_sqlite.get(), m_postgres.get() }) {
        auto window = openWindow(*storage);
        window->showPages();
        QVERIFY(QTest::qWaitFor([&window]() { return !window->pagesView()->isLoading(); }, 10'000));
        const PagesModel &model = *window->pagesView()->model();
        QVERIFY2(model.lastError().isEmpty(), qPrintable(model.lastError()));
        const QStringList shown = shownPages(model);
        if (expected.isEmpty()) {
            expected = shown;
            // The captured 500.html, carried by two events of one issue.
            QCOMPARE(expected.size(), 1);
            QVERIFY2(expected.first().startsWith(QLatin1String("500 ")), qPrintable(expected.first()));
            QVERIFY2(expected.first().contains(QLatin1String("events 2")), qPrintable(expected.first()));
        } else {
            QCOMPARE(shown, expected);
        }
        // The preview read the page's body by its hash, on the same backend.
        QVERIFY2(window->pagesView()->preview()->headerText().startsWith(QLatin1String("HTTP 500")),
            qPrintable(window->pagesView()->preview()->headerText()));
    }
}

void TestWindowViewsPostgres::overviewShowsTheSameDay()
{
    QStringList expected;
    for (StorageGateway *storage : { m_sqlite.get(), m_postgres.get() }) {
        auto window = openWindow(*storage);
        QSignalSpy refreshed(window->overviewView(), &ProjectOverviewView::refreshed);
        window->centreTabs()->setCurrentWidget(window->overviewView());
        QVERIFY(refreshed.wait(10'000));
        const ProjectOverview &overview = window->overviewView()->overview();
        QVERIFY2(overview.error.isEmpty(), qPrintable(overview.error));
        QCOMPARE(overview.projects.size(), 1);
        QCOMPARE(overview.projects.first().total(), qint64(m_events)); // every event arrived today
        QVERIFY(!overview.newIssues.isEmpty());
        QStringList shown = shownOverview(overview);
        shown.sort(); // ties in count are ordered by id, and each backend hands out its own
        if (expected.isEmpty())
            expected = shown;
        else
            QCOMPARE(shown, expected);
    }
}

void TestWindowViewsPostgres::droppedEventsShowTheSameRefusals()
{
    QStringList expected;
    for (StorageGateway *storage : { m_sqlite.get(), m_postgres.get() }) {
        DroppedEventsView view(*storage);
        QSignalSpy refreshed(&view, &DroppedEventsView::refreshed);
        QVERIFY(refreshed.wait(10'000));
        QStringList shown;
        const DroppedEventsModel *model = view.model();
        for (int row = 0; row < model->rowCount(); ++row) {
            QStringList cells;
            for (int column = 0; column < model->columnCount(); ++column)
                cells.append(model->index(row, column).data().toString());
            shown.append(cells.join(u'|'));
        }
        QVERIFY2(shown.size() == 2, qPrintable(view.findChild<QLabel *>(QStringLiteral("droppedSummary"))->text()));
        if (expected.isEmpty())
            expected = shown;
        else
            QCOMPARE(shown, expected);
    }
}

void TestWindowViewsPostgres::connectDialogSeesTheEventsAndChangesProjects()
{
    ConnectDialog dialog(*m_postgres, QStringLiteral("collector.example.com:8990"));
    dialog.setConfirm(confirmEverything);
    QSignalSpy received(&dialog, &ConnectDialog::firstEventReceived);
    const StorageResult<Project> project = m_pgAdmin->projects().byId(1);
    QVERIFY(project);
    dialog.forProject(*project);
    QVERIFY(received.wait(10'000)); // the default project has events
    QCOMPARE(dialog.state(), ConnectDialog::State::Received);
    QVERIFY(dialog.dsn().startsWith(QStringLiteral("http://%1@collector.example.com:8990/1").arg(project->publicKey)));
    // The coding-agent snippet names the database without a password.
    QVERIFY(dialog.snippet(QStringLiteral("Coding agent")).contains(QLatin1String("postgresql://faultline@127.0.0.1")));

    QSignalSpy created(&dialog, &ConnectDialog::projectCreated);
    QVERIFY(dialog.createProject(QStringLiteral("checkout")));
    QVERIFY(created.wait(10'000));
    const qint64 id = created.first().first().toLongLong();
    QCOMPARE(m_pgAdmin->projects().byId(id)->name, QStringLiteral("checkout"));
    QCOMPARE(dialog.state(), ConnectDialog::State::Waiting); // a new project has no event yet

    const QString oldKey = dialog.project()->publicKey;
    QSignalSpy rotated(&dialog, &ConnectDialog::keyRotated);
    QVERIFY(dialog.rotateKey());
    QVERIFY(rotated.wait(10'000));
    QVERIFY(dialog.project()->publicKey != oldKey);
    QCOMPARE(m_pgAdmin->projects().byId(id)->publicKey, dialog.project()->publicKey);

    QSignalSpy deleted(&dialog, &ConnectDialog::projectDeleted);
    QVERIFY(dialog.deleteProject());
    QVERIFY(deleted.wait(10'000));
    QCOMPARE(m_pgAdmin->projects().byId(id).error().kind, StorageError::Kind::NotFound);

    // A name taken says so, as on SQLite.
    ConnectDialog again(*m_postgres, QStringLiteral("collector.example.com:8990"));
    QSignalSpy againFailed(&again, &ConnectDialog::actionFailed);
    QVERIFY(again.createProject(QStringLiteral("default")));
    QVERIFY(againFailed.wait(10'000));
    QCOMPARE(again.createError(), QStringLiteral("A project named \"default\" exists already."));

    // A viewer's window runs no collector and cannot know the team's: its snippets name a place to fill in.
    const auto window = openWindow(*m_postgres);
    ConnectDialog *fromWindow = window->openConnectDialog(1);
    QVERIFY2(fromWindow->dsn().endsWith(QStringLiteral("@your-collector-host:8990/1")), qPrintable(fromWindow->dsn()));
}

void TestWindowViewsPostgres::viewerIsToldWhatItMayNot()
{
    PgRoleNames names;
    names.database = QStringLiteral("views");
    const auto granted
        = static_cast<PgBackend &>(*m_pgAdmin).connection().execScript(postgresRolesSql(names).toUtf8().constData());
    QVERIFY2(granted, qPrintable(granted.error().message));
    StorageGateway asViewer(viewerUri());

    ConnectDialog dialog(asViewer, QStringLiteral("collector.example.com:8990"));
    dialog.setConfirm(confirmEverything);
    QSignalSpy failed(&dialog, &ConnectDialog::actionFailed);
    QVERIFY(dialog.createProject(QStringLiteral("not allowed")));
    QVERIFY(failed.wait(10'000));
    QVERIFY2(dialog.createError().startsWith(QLatin1String("The project was not created: ")),
        qPrintable(dialog.createError()));
    QVERIFY2(dialog.createError().contains(QLatin1String("permission denied")), qPrintable(dialog.createError()));

    const StorageResult<Project> project = m_pgAdmin->projects().byId(1);
    dialog.forProject(*project);
    QVERIFY(dialog.rotateKey());
    QVERIFY(failed.wait(10'000));
    QVERIFY2(dialog.actionError().contains(QLatin1String("permission denied")), qPrintable(dialog.actionError()));
    QVERIFY(dialog.deleteProject());
    QVERIFY(failed.wait(10'000));
    QVERIFY2(dialog.actionError().contains(QLatin1String("permission denied")), qPrintable(dialog.actionError()));
    QCOMPARE(m_pgAdmin->projects().byId(1)->publicKey, project->publicKey); // nothing changed

    // What a viewer may: read the day.
    auto window = openWindow(asViewer);
    QVERIFY(window->openError().isEmpty());
    QSignalSpy refreshed(window->overviewView(), &ProjectOverviewView::refreshed);
    window->centreTabs()->setCurrentWidget(window->overviewView());
    QVERIFY(refreshed.wait(10'000));
    QVERIFY2(window->overviewView()->overview().error.isEmpty(), qPrintable(window->overviewView()->overview().error));
    QCOMPARE(window->overviewView()->overview().projects.first().total(), qint64(m_events));
    window.reset();
    asViewer.stop();
}

void TestWindowViewsPostgres::sourceRootsAreSharedNotificationRulesPersonal()
{
    SourceWorkspace workspace(*m_postgres);
    QSignalSpy rootsChanged(&workspace, &SourceWorkspace::rootsChanged);
    workspace.setProject(1);
    QString error;
    QVERIFY2(workspace.setRoots({ { QStringLiteral("/srv/app"), QStringLiteral("~/src/shop") } }, &error),
        qPrintable(error));
    QVERIFY(workspace.setReplayBaseUrl(QStringLiteral("http://localhost:8000"), &error));
    workspace.waitForStored();
    QCOMPARE(m_pgAdmin->projectTools().sourceRoots(1).size(), 1); // in the database, for every desktop
    QCOMPARE(m_pgAdmin->projectTools().replayBaseUrl(1), QStringLiteral("http://localhost:8000"));
    SourceWorkspace another(*m_postgres); // another window reads them
    QSignalSpy anotherRoots(&another, &SourceWorkspace::rootsChanged);
    another.setProject(1);
    QVERIFY(anotherRoots.wait(10'000));
    Frame frame;
    frame.absPath = QStringLiteral("/srv/app/views.py");
    QCOMPARE(another.mappedFile(frame), QDir::homePath() + QStringLiteral("/src/shop/views.py"));

    // Notification rules: this desktop's, not the shared database's.
    QVERIFY(notificationRulesPerDesktop(*m_postgres));
    QVERIFY(!notificationRulesPerDesktop(*m_sqlite));
    NotificationRule quiet;
    quiet.minLevel = QStringLiteral("fatal");
    quiet.onRegression = false;
    const NotificationRules rules({ quiet });
    storeDesktopNotificationRules(*m_postgres, rules);
    std::optional<QString> stored;
    readNotificationRules(*m_postgres, this,
        [&stored](const StorageResult<QString> &json) { stored = json ? *json : QStringLiteral("error"); });
    QVERIFY(!stored); // never inside the call
    QTRY_VERIFY(stored);
    QCOMPARE(NotificationRules::fromJson(*stored), rules);
    QVERIFY(m_pgAdmin->appState(kNotificationRulesKey).isEmpty());
}

void TestWindowViewsPostgres::screenshots()
{
    if (screenshotDir().isEmpty())
        QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
    shootLightAndDark([&](const ThemedShots &shots) {
        auto window = openWindow(*m_postgres);
        window->resize(1000, 700);
        window->showPages();
        window->grab(); // paints: asks for the thumbnails
        QVERIFY(QTest::qWaitFor([&window]() { return !window->pagesView()->isLoading(); }, 10'000));
        QVERIFY(settleLayouts(window.get()));
        QVERIFY(shots.save(QStringLiteral("postgres_pages"), window->grab()));

        QSignalSpy refreshed(window->overviewView(), &ProjectOverviewView::refreshed);
        window->centreTabs()->setCurrentWidget(window->overviewView());
        QVERIFY(refreshed.wait(10'000));
        QVERIFY(settleLayouts(window.get()));
        QVERIFY(shots.save(QStringLiteral("postgres_overview"), window->grab()));

        ConnectDialog dialog(*m_postgres, QStringLiteral("collector.example.com:8990"), window.get());
        QSignalSpy received(&dialog, &ConnectDialog::firstEventReceived);
        dialog.forProject(*m_pgAdmin->projects().byId(1));
        QVERIFY(received.wait(10'000));
        dialog.resize(1000, 700);
        dialog.show();
        QVERIFY(settleLayouts(&dialog));
        QVERIFY(shots.save(QStringLiteral("postgres_connect"), dialog.grab()));
    });
}

QTEST_MAIN(TestWindowViewsPostgres)
#include "tst_window_views_postgres.moc"
