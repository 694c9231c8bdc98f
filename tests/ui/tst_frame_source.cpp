// From a frame to the line on disk, on the captured Django event and a real
// git checkout made by the test: source roots, open in editor (the command
// as an argument list), context from disk, "the file changed since this
// event", and the suspect commit from git blame.
#include "detail_waits.h"
#include "list_waits.h"
#include "screenshots.h"
#include "settle_layouts.h"
#include "storage/issue_queries.h"
#include "storage/project_tools.h"
#include "storage/statement.h"
#include "storage/storage_gateway.h"
#include "ui/app_settings.h"
#include "ui/event_view.h"
#include "ui/exception_view.h"
#include "ui/frame_source_panel.h"
#include "ui/frame_view.h"
#include "ui/issue_detail_view.h"
#include "ui/main_window.h"
#include "ui/source_roots_dialog.h"
#include "ui/source_workspace.h"
#include "ui/stack_trace_view.h"
#include "ui_test_data.h"

#include <QApplication>
#include <QLabel>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QScrollArea>
#include <QScrollBar>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTextDocument>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>

#include <sys/stat.h>

using namespace faultline;
using namespace faultline::test;

namespace {

const QString kRemoteRoot = QStringLiteral("/srv/example/django/");

bool git(const QString &dir, const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Ann Example"));
    env.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("ann@example.com"));
    env.insert(QStringLiteral("GIT_AUTHOR_DATE"), QStringLiteral("2026-11-02T10:30:00+01:00"));
    env.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Ann Example"));
    env.insert(QStringLiteral("GIT_COMMITTER_EMAIL"), QStringLiteral("ann@example.com"));
    env.insert(QStringLiteral("GIT_COMMITTER_DATE"), QStringLiteral("2026-11-02T10:30:00+01:00"));
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("HOME"), dir);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("git"), arguments);
    return process.waitForFinished(30'000) && process.exitCode() == 0;
}

// app.py as the event's frames saw it: every context line at its line number.
QStringList sourceAsTheEventSawIt(const Event &event)
{
    QStringList lines;
    for (int i = 1; i <= 60; ++i)
        lines.append(QStringLiteral("# line %1").arg(i));
    for (const Frame &frame : event.exceptions.last().frames) {
        if (!frame.absPath.startsWith(kRemoteRoot))
            continue;
        const int first = frame.lineno - int(frame.preContext.size());
        for (int i = 0; i < frame.preContext.size(); ++i)
            lines[first - 1 + i] = frame.preContext.at(i);
        lines[frame.lineno - 1] = frame.contextLine;
        for (int i = 0; i < frame.postContext.size(); ++i)
            lines[frame.lineno + i] = frame.postContext.at(i);
    }
    return lines;
}

bool writeLines(const QString &path, const QStringList &lines)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write((lines.join('\n') + '\n').toUtf8()) > 0;
}

Event withoutContext(Event event)
{
    for (Frame &frame : event.exceptions.last().frames) {
        frame.preContext.clear();
        frame.contextLine.clear();
        frame.postContext.clear();
    }
    return event;
}

} // namespace

class TestFrameSource : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void mappedFrameMatchesCheckoutAndBlames();
    void editedFileSaysItChanged();
    void contextFromDiskWhenTheSdkSentNone();
    void openInEditorRunsTheChosenEditor();
    void unmappedAppFrameOffersSourceRoots();
    void missingFileSaysNotFound();
    void readingTheCheckoutLeavesTheGuiThreadFree();
    void slowGitBlameLeavesTheGuiThreadFree();
    void aReadLandsOnlyOnTheFrameStillShown();
    void rootsAreStoredOffTheGuiThread();
    void guessProposesTheRootAndStoresIt();
    void screenshots();

private:
    FrameView *crashFrame() const { return m_view->stackViews().first()->frameViews().first(); }

    QTemporaryDir m_home;
    QString m_checkout;
    UiTestDatabase m_db;
    Event m_event;
    std::unique_ptr<StorageGateway> m_storage;
    std::unique_ptr<SourceWorkspace> m_workspace;
    std::unique_ptr<ExceptionView> m_view;
    QList<ExternalCommand> m_launched;
};

void TestFrameSource::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("faultline-ui-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_frame_source"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
    QVERIFY(m_db.start());
    QVERIFY(m_db.write({ fixtureIncoming(QStringLiteral("django_request_store"), 1'700'000'000'000) }));
    m_event = fixtureEvent(QStringLiteral("django_request_store"));
    QCOMPARE(m_event.exceptions.last().frames.last().lineno, 43); // compute(): the crash
    m_checkout = m_home.filePath(QStringLiteral("shop"));
    QVERIFY(QDir().mkpath(m_checkout));
    QVERIFY(git(m_checkout, { QStringLiteral("init"), QStringLiteral("-q") }));
    QVERIFY(writeLines(m_checkout + QStringLiteral("/app.py"), sourceAsTheEventSawIt(m_event)));
    QVERIFY(writeLines(m_checkout + QStringLiteral("/settings.py"), { QStringLiteral("DEBUG = True") }));
    QVERIFY(git(m_checkout, { QStringLiteral("add"), QStringLiteral(".") }));
    QVERIFY(git(m_checkout,
        { QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
            QStringLiteral("Divide by the order's quantity") }));
}

void TestFrameSource::init()
{
    m_view.reset(); // before the workspace it points to
    QVERIFY(writeLines(m_checkout + QStringLiteral("/app.py"), sourceAsTheEventSawIt(m_event)));
    if (!m_storage)
        m_storage = std::make_unique<StorageGateway>(m_db.path());
    m_workspace = std::make_unique<SourceWorkspace>(*m_storage);
    m_workspace->setProject(1);
    QVERIFY(m_workspace->setRoots({ { kRemoteRoot, m_checkout } }));
    m_launched.clear();
    m_workspace->setLauncher([this](const ExternalCommand &command) {
        m_launched.append(command);
        return true;
    });
    m_view = std::make_unique<ExceptionView>();
    m_view->setSourceWorkspace(m_workspace.get());
    m_view->resize(900, 700);
}

void TestFrameSource::mappedFrameMatchesCheckoutAndBlames()
{
    m_view->setEvent(m_event);
    FrameView *crash = crashFrame();
    QVERIFY(crash->isExpanded());
    QTRY_COMPARE(crash->localFile(), m_checkout + QStringLiteral("/app.py"));
    QVERIFY(crash->findChild<QToolButton *>(QStringLiteral("openInEditor"))->isVisibleTo(crash));
    FrameSourcePanel *panel = crash->sourcePanel();
    QVERIFY(panel);
    QTRY_VERIFY(panel->isRead());
    QVERIFY2(panel->noteText().startsWith(QLatin1String("Matches your checkout")), qPrintable(panel->noteText()));
    QTRY_VERIFY_WITH_TIMEOUT(panel->blameResult().ok(), 10'000);
    const BlameResult blame = panel->blameResult();
    QCOMPARE(blame.author, QStringLiteral("Ann Example"));
    QCOMPARE(blame.authorMail, QStringLiteral("ann@example.com"));
    QCOMPARE(blame.summary, QStringLiteral("Divide by the order's quantity"));
    QCOMPARE(blame.authorTime.toUTC(), QDateTime(QDate(2026, 11, 2), QTime(9, 30), Qt::UTC));
    QCOMPARE(blame.authorTime.offsetFromUtc(), 3600);
    QVERIFY2(panel->blameText().contains(QLatin1String("by Ann Example")), qPrintable(panel->blameText()));
    QVERIFY(panel->blameText().contains(blame.commit.left(10)));
}

void TestFrameSource::editedFileSaysItChanged()
{
    QStringList lines = sourceAsTheEventSawIt(m_event);
    lines[42] = QStringLiteral("    return n / max(divisor, 1)");
    QVERIFY(writeLines(m_checkout + QStringLiteral("/app.py"), lines));
    m_view->setEvent(m_event);
    FrameSourcePanel *panel = crashFrame()->sourcePanel();
    QVERIFY(panel);
    QTRY_VERIFY(panel->isRead());
    QVERIFY(panel->fileChanged());
    QVERIFY2(
        panel->noteText().contains(QLatin1String("The file changed since this event")), qPrintable(panel->noteText()));
    // The uncommitted edit is what blame reports for the line.
    QTRY_VERIFY_WITH_TIMEOUT(panel->blameResult().isUncommitted(), 10'000);
    QVERIFY(panel->blameText().contains(QLatin1String("not committed yet")));
}

void TestFrameSource::contextFromDiskWhenTheSdkSentNone()
{
    m_view->setEvent(withoutContext(m_event));
    FrameView *crash = crashFrame();
    QVERIFY(crash->hasDetails());
    QVERIFY(crash->isExpanded());
    FrameSourcePanel *panel = crash->sourcePanel();
    QVERIFY(panel);
    QTRY_VERIFY(panel->isRead());
    QVERIFY(panel->diskContext());
    QVERIFY2(panel->noteText().startsWith(QLatin1String("Source from your checkout")), qPrintable(panel->noteText()));
    auto *code = crash->findChild<QLabel *>(QStringLiteral("frameContext"));
    QVERIFY(code);
    QTextDocument shown; // the lines are coloured: compare the text, not the markup
    shown.setHtml(code->text());
    QVERIFY(shown.toPlainText().contains(QLatin1String("return n / divisor")));
    QCOMPARE(panel->diskContext()->preContext.size(), 5);
}

void TestFrameSource::openInEditorRunsTheChosenEditor()
{
    EditorSettings settings;
    settings.editor = EditorPreset::VSCode;
    m_workspace->setEditorSettings(settings);
    m_view->setEvent(m_event);
    const QString file = m_checkout + QStringLiteral("/app.py");

    // `o` opens the frame shown open: where the app crashed, once its file is found.
    QCOMPARE(m_view->currentFrame(), crashFrame());
    for (FrameView *frame : m_view->stackViews().first()->frameViews())
        QTRY_VERIFY(frame->isFileLookupDone());
    QVERIFY(m_view->openCurrentFrame());
    QCOMPARE(m_launched.size(), 1);
    QCOMPARE(m_launched.last().program, QStringLiteral("code"));
    QCOMPARE(m_launched.last().arguments, (QStringList { QStringLiteral("-g"), file + QStringLiteral(":43") }));

    // The caller's frame, through its own button; it becomes the current one.
    settings.editor = EditorPreset::Kate;
    m_workspace->setEditorSettings(settings);
    QCOMPARE(EditorSettings::load().editor, EditorPreset::Kate);
    FrameView *caller = m_view->stackViews().first()->frameViews().at(1);
    QCOMPARE(caller->frame().lineno, 46);
    auto *open = caller->findChild<QToolButton *>(QStringLiteral("openInEditor"));
    QVERIFY(open);
    open->click();
    QCOMPARE(m_launched.size(), 2);
    QCOMPARE(m_launched.last().program, QStringLiteral("kate"));
    QCOMPARE(m_launched.last().arguments, (QStringList { QStringLiteral("-l"), QStringLiteral("46"), file }));
    QCOMPARE(m_view->currentFrame(), caller);

    // Django's own frames are not in the checkout: no button, nothing to open.
    FrameView *library = m_view->stackViews().first()->frameViews().last();
    QVERIFY(library->localFile().isEmpty());
    const auto *libraryOpen = library->findChild<QToolButton *>(QStringLiteral("openInEditor"));
    QVERIFY(!libraryOpen || !libraryOpen->isVisibleTo(library));
    QVERIFY(!library->openInEditor());
    QCOMPARE(m_launched.size(), 2);
}

void TestFrameSource::unmappedAppFrameOffersSourceRoots()
{
    QVERIFY(m_workspace->setRoots({}));
    m_view->setEvent(m_event);
    FrameView *crash = crashFrame();
    QVERIFY(crash->isFileLookupDone()); // nothing mapped: nothing to look up
    QVERIFY(crash->localFile().isEmpty());
    QVERIFY(crash->sourcePanel());
    QVERIFY(crash->sourcePanel()->noteText().contains(QLatin1String("Set up source roots")));
    QVERIFY(!m_view->openCurrentFrame());
    QVERIFY(m_launched.isEmpty());
}

void TestFrameSource::missingFileSaysNotFound()
{
    const QString elsewhere = m_home.filePath(QStringLiteral("not-a-checkout"));
    QVERIFY(m_workspace->setRoots({ { kRemoteRoot, elsewhere } }));
    m_view->setEvent(m_event);
    FrameView *crash = crashFrame();
    QTRY_VERIFY(crash->isFileLookupDone());
    QVERIFY(crash->localFile().isEmpty());
    QVERIFY(!crash->findChild<QToolButton *>(QStringLiteral("openInEditor"))->isVisibleTo(crash));
    QTRY_VERIFY(crash->sourcePanel()->isRead());
    QCOMPARE(crash->sourcePanel()->noteText(),
        QStringLiteral("Not found on this machine: %1/app.py. Set up source roots…").arg(elsewhere));
    QVERIFY(crash->sourcePanel()->blameText().isEmpty()); // no git for a file that is not there
}

// The checkout's file is read on a worker thread: while the read waits (here on a latch the
// test holds, as on a hung network mount) the window keeps handling events.
void TestFrameSource::readingTheCheckoutLeavesTheGuiThreadFree()
{
    QSemaphore entered;
    QSemaphore release;
    QThread *readerThread = nullptr;
    m_workspace->setSourceReader([&](const QString &file, int line, int radius) {
        readerThread = QThread::currentThread();
        entered.release();
        release.acquire();
        return readDiskContext(file, line, radius);
    });
    m_view->setEvent(withoutContext(m_event));
    FrameView *crash = crashFrame();
    FrameSourcePanel *panel = crash->sourcePanel();
    QVERIFY(panel);
    QVERIFY2(panel->noteText().startsWith(QLatin1String("Reading ")), qPrintable(panel->noteText()));
    QTRY_COMPARE(entered.available(), 1);
    QVERIFY(readerThread && readerThread != QThread::currentThread());
    QTimer tick;
    QSignalSpy ticks(&tick, &QTimer::timeout);
    tick.start(0);
    QVERIFY(ticks.wait()); // the GUI thread's event loop runs while the read waits
    QVERIFY(!panel->isRead());
    QVERIFY(!crash->findChild<QLabel *>(QStringLiteral("frameContext")));
    release.release();
    QTRY_VERIFY(panel->isRead());
    auto *code = crash->findChild<QLabel *>(QStringLiteral("frameContext"));
    QVERIFY(code);
    QTextDocument shown;
    shown.setHtml(code->text());
    QVERIFY(shown.toPlainText().contains(QLatin1String("return n / divisor")));
    QVERIFY2(panel->noteText().startsWith(QLatin1String("Source from your checkout")), qPrintable(panel->noteText()));
}

// `git` on PATH is a shim that says it started, then waits on a FIFO the test writes to
// before running the real git: blame must not hold the window meanwhile.
void TestFrameSource::slowGitBlameLeavesTheGuiThreadFree()
{
    QTemporaryDir shimDir;
    const QString started = shimDir.filePath(QStringLiteral("started"));
    const QString latch = shimDir.filePath(QStringLiteral("latch"));
    QCOMPARE(::mkfifo(QFile::encodeName(latch).constData(), 0600), 0);
    const QString realGit = QStandardPaths::findExecutable(QStringLiteral("git"));
    QVERIFY(!realGit.isEmpty());
    QFile shim(shimDir.filePath(QStringLiteral("git")));
    QVERIFY(shim.open(QIODevice::WriteOnly));
    shim.write(
        QStringLiteral("#!/bin/sh\n: > '%1'\nread _ < '%2'\nexec '%3' \"$@\"\n").arg(started, latch, realGit).toUtf8());
    shim.close();
    QVERIFY(shim.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(shimDir.path()) + ':' + path);
    const auto restorePath = qScopeGuard([&path]() { qputenv("PATH", path); });

    m_view->setEvent(m_event);
    FrameSourcePanel *panel = crashFrame()->sourcePanel();
    QVERIFY(panel);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(started), 20'000); // the event loop ran until git was under way
    QTimer tick;
    QSignalSpy ticks(&tick, &QTimer::timeout);
    tick.start(0);
    QVERIFY(ticks.wait());
    QVERIFY2(panel->blameText().startsWith(QLatin1String("Looking up who last changed line 43")),
        qPrintable(panel->blameText()));
    QVERIFY(!panel->blameResult().ok());
    QFile open(latch);
    QVERIFY(open.open(QIODevice::WriteOnly)); // the shim is waiting to read it: this does not block
    open.write("go\n");
    open.close();
    QTRY_VERIFY_WITH_TIMEOUT(panel->blameResult().ok(), 10'000);
    QCOMPARE(panel->blameResult().summary, QStringLiteral("Divide by the order's quantity"));
}

// Another event shown while a read waits: the old frame's answer has nowhere to land, and the
// frame on screen shows its own.
void TestFrameSource::aReadLandsOnlyOnTheFrameStillShown()
{
    QSemaphore entered;
    QSemaphore release;
    m_workspace->setSourceReader([&](const QString &file, int line, int radius) {
        entered.release();
        release.acquire();
        return readDiskContext(file, line, radius);
    });
    m_view->setEvent(withoutContext(m_event));
    QPointer<FrameSourcePanel> first = crashFrame()->sourcePanel();
    QTRY_COMPARE(entered.available(), 1);
    m_view->setEvent(m_event);
    QVERIFY(first.isNull());
    FrameSourcePanel *second = crashFrame()->sourcePanel();
    QTRY_COMPARE(entered.available(), 2);
    release.release(2);
    QTRY_VERIFY(second->isRead());
    QVERIFY2(second->noteText().startsWith(QLatin1String("Matches your checkout")), qPrintable(second->noteText()));
    QVERIFY(!second->diskContext()); // the SDK's lines stay: the first event's read did not land here
    m_workspace->diskPool()->waitForDone(); // the dropped read finishes before the reader's locals go
}

// Another connection holds the database's write lock (the collector in a long commit): setting the
// roots returns at once with the roots in effect, and they are stored once the lock is free.
void TestFrameSource::rootsAreStoredOffTheGuiThread()
{
    auto locker = Database::open(m_db.path(), Database::Mode::ReadWrite, nullptr);
    QVERIFY(locker);
    QVERIFY(execSql(locker->handle(), "BEGIN IMMEDIATE"));
    QSignalSpy changed(m_workspace.get(), &SourceWorkspace::rootsChanged);
    const QList<SourceRoot> moved { { kRemoteRoot, m_home.filePath(QStringLiteral("moved")) } };
    QVERIFY(m_workspace->setRoots(moved));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_workspace->roots(), moved);
    m_workspace->setProject(1); // another issue of the project: the change holds while it is being stored
    QCOMPARE(m_workspace->roots(), moved);
    QVERIFY(execSql(locker->handle(), "COMMIT"));
    m_workspace->waitForStored();
    auto db = Database::open(m_db.path(), Database::Mode::ReadOnly, nullptr);
    QCOMPARE(ProjectToolsStore(*db).sourceRoots(1), moved);
}

void TestFrameSource::guessProposesTheRootAndStoresIt()
{
    QVERIFY(m_workspace->setRoots({}));
    SourceRootsDialog dialog(m_workspace.get());
    QVERIFY(dialog.roots().isEmpty());
    QCOMPARE(SourceRootsDialog::checkoutFiles(m_checkout),
        (QStringList { QStringLiteral("app.py"), QStringLiteral("settings.py") }));
    dialog.guessFrom(m_checkout);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.guessFuture().isFinished(), 10'000);
    QTRY_VERIFY(dialog.guessText().startsWith(QLatin1String("Frames under /srv/example/django/ are in ")));
    QVERIFY2(dialog.guessText().contains(QLatin1String("1 of 1 app file paths match")), qPrintable(dialog.guessText()));
    QVERIFY(dialog.roots().isEmpty()); // nothing changes until the user confirms
    dialog.acceptGuess();
    QCOMPARE(dialog.roots(), (QList<SourceRoot> { { kRemoteRoot, m_checkout } }));
    dialog.accept();
    QCOMPARE(m_workspace->roots(), (QList<SourceRoot> { { kRemoteRoot, m_checkout } }));
    m_workspace->waitForStored();
    auto db = Database::open(m_db.path(), Database::Mode::ReadOnly, nullptr);
    QVERIFY(db);
    QCOMPARE(ProjectToolsStore(*db).sourceRoots(1), (QList<SourceRoot> { { kRemoteRoot, m_checkout } }));
}

void TestFrameSource::screenshots()
{
    const QString dir = screenshotDir();
    if (dir.isEmpty())
        QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
    shootLightAndDark(
        [&](const ThemedShots &shots) {
            StorageGateway storage(m_db.path());
            MainWindowContext context;
            context.dbPath = m_db.path();
            context.storage = &storage;
            MainWindow window(context);
            window.sourceWorkspace()->setProject(1);
            QVERIFY(window.sourceWorkspace()->setRoots({ { kRemoteRoot, m_checkout } }));
            const IssueRow issue = IssueQueries(*Database::open(m_db.path(), Database::Mode::ReadOnly, nullptr))
                                       .list(IssueListRequest {})
                                       .first();
            for (const QSize size : { QSize(1280, 720), QSize(1000, 700) }) {
                window.resize(size);
                window.show();
                QVERIFY(shownAnswer(window.openIssue(issue.id)));
                QVERIFY(detailSettled(window));
                IssueDetailView *detail = window.detailView();
                ExceptionView *exception = detail->eventView()->exceptionView();
                FrameView *crash = exception->stackViews().first()->frameViews().first();
                QTRY_VERIFY_WITH_TIMEOUT(crash->sourcePanel() && crash->sourcePanel()->blameResult().ok(), 10'000);
                detail->scrollArea()->verticalScrollBar()->setValue(
                    exception->mapTo(detail->scrollArea()->widget(), QPoint()).y());
                QVERIFY(settleLayouts(&window));
                QVERIFY(shots.save(
                    QStringLiteral("frame_open_blame_%1x%2").arg(size.width()).arg(size.height()), window.grab()));
            }
        },
        darkPalette());
    if (QTest::currentTestFailed())
        return;

    // Context read from the checkout for an event that carried none, and a file edited since.
    QStringList lines = sourceAsTheEventSawIt(m_event);
    QVERIFY(writeLines(m_checkout + QStringLiteral("/app.py"), lines));
    Event mixed = m_event;
    Frame &caller = mixed.exceptions.last().frames[mixed.exceptions.last().frames.size() - 2];
    caller.preContext.clear();
    caller.contextLine.clear();
    caller.postContext.clear();
    lines[42] = QStringLiteral("    return n / max(divisor, 1)");
    QVERIFY(writeLines(m_checkout + QStringLiteral("/app.py"), lines));
    m_view->setEvent(mixed);
    m_view->stackViews().first()->frameViews().at(1)->setExpanded(true);
    for (int i : { 0, 1 })
        QTRY_VERIFY(m_view->stackViews().first()->frameViews().at(i)->sourcePanel()->isRead());
    QScrollArea scroll;
    scroll.setWidgetResizable(true);
    scroll.setWidget(m_view.release());
    scroll.resize(1000, 700);
    scroll.show();
    QVERIFY(settleLayouts(&scroll));
    QVERIFY(scroll.grab().save(dir + QStringLiteral("/frame_disk_context.png")));
}

QTEST_MAIN(TestFrameSource)
#include "tst_frame_source.moc"
