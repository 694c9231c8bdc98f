// The real `faultline` desktop app under Xvfb: closing its window (the way a
// window manager does for ×) keeps the collector answering and storing, and
// tells the user once; with "keep collecting" off, closing quits cleanly; a
// second launch raises the first and hands it a faultline:// link; with a
// headless collector running, the window is a viewer that leaves it running;
// on a PostgreSQL database the window is a viewer of whatever collects into it.
#include "support/faultline_process.h"
#include "support/fixture_replay.h"
#include "support/postgres_cluster.h"
#include "x11_client.h"

#include <QDir>
#include <QJsonArray>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace faultline::test;

namespace {

const QString kWindowTitle = QStringLiteral("Faultline");

bool hasEvent(const FaultlineProcess &faultline, const QString &eventId)
{
    for (const QJsonObject &event : faultline.events())
        if (event.value("event_id").toString() == eventId)
            return true;
    return false;
}

} // namespace

class TestDesktopLifecycle : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // A home of its own per run: settings (QSettings under XDG_CONFIG_HOME) start empty.
    QProcessEnvironment desktopEnvironment(const QString &name) const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QString home = m_dir.filePath(name);
        QDir().mkpath(home + "/config");
        QDir().mkpath(home + "/runtime");
        QFile::setPermissions(home + "/runtime", QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        environment.insert("XDG_CONFIG_HOME", home + "/config");
        environment.insert("XDG_DATA_HOME", home + "/data");
        environment.insert("XDG_RUNTIME_DIR", home + "/runtime");
        environment.insert("QT_QPA_PLATFORM", "xcb");
        return environment;
    }

    static void writeSetting(const QProcessEnvironment &environment, const QString &key, const QVariant &value)
    {
        // Where QSettings() puts the settings of organization "faultline", application "faultline".
        QSettings settings(environment.value("XDG_CONFIG_HOME") + "/faultline/faultline.conf", QSettings::IniFormat);
        settings.setValue(key, value);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DISPLAY"), "run under xvfb-run (ctest does)");
        QVERIFY2(X11Client().isConnected(), "cannot connect to the X display");
    }

    void closingTheWindowKeepsCollecting()
    {
        FaultlineProcess faultline(FAULTLINE_BINARY, m_dir.filePath("keep.db"));
        QVERIFY2(faultline.startDesktop(desktopEnvironment("keep")), qPrintable(faultline.log()));
        X11Client x11;
        QTRY_VERIFY_WITH_TIMEOUT(x11.viewableWindows(kWindowTitle).size() == 1, 15000);
        const quint32 window = x11.viewableWindows(kWindowTitle).first();

        const QJsonObject project = faultline.defaultProject();
        const qint64 projectId = project.value("id").toInteger();
        const QString key = project.value("public_key").toString();
        QCOMPARE(replay(faultline.port(), "python_exception_store", projectId, key).status, 200);

        QVERIFY(x11.requestClose(window));
        QTRY_VERIFY_WITH_TIMEOUT(!x11.isViewable(window), 10000);
        // Xvfb has no tray: the first close explains itself in a window of its own.
        QTRY_VERIFY_WITH_TIMEOUT(x11.viewableWindows("Faultline keeps collecting").size() == 1, 10000);
        QVERIFY2(faultline.isRunning(), qPrintable(faultline.log()));

        const RawResponse afterClose = replay(faultline.port(), "node_exception_envelope", projectId, key);
        QCOMPARE(afterClose.status, 200);
        QVERIFY(hasEvent(faultline, fixtureEventId("node_exception_envelope")));
        QVERIFY(hasEvent(faultline, fixtureEventId("python_exception_store")));

        faultline.terminate(); // SIGTERM: the same drain as Quit
        QVERIFY2(!faultline.isRunning(), qPrintable(faultline.log()));
        QVERIFY2(faultline.log().contains("stopped"), qPrintable(faultline.log()));
    }

    void terminationRightAfterStartIsNotLost()
    {
        // A SIGTERM (systemctl stop, logout) soon after start was lost: quit() asks the windows to
        // close first, and the main window, which hides to the tray instead, cancelled it (1 start
        // in 3 here, when the window was up in time); one before the handler killed the process.
        for (int round = 0; round < 5; ++round) {
            const QString name = QStringLiteral("term%1").arg(round);
            FaultlineProcess faultline(FAULTLINE_BINARY, m_dir.filePath(name + ".db"));
            QVERIFY2(faultline.startDesktop(desktopEnvironment(name)), qPrintable(faultline.log()));
            faultline.terminate();
            QVERIFY2(!faultline.isRunning(),
                qPrintable(QStringLiteral("round %1: %2").arg(round).arg(faultline.log().right(700))));
            QVERIFY2(faultline.log().contains("stopped"), qPrintable(faultline.log()));
        }
    }

    void closingQuitsWhenTheSettingSaysSo()
    {
        const QProcessEnvironment environment = desktopEnvironment("quit");
        writeSetting(environment, "desktop/keepCollectingWhenClosed", false);
        FaultlineProcess faultline(FAULTLINE_BINARY, m_dir.filePath("quit.db"));
        QVERIFY2(faultline.startDesktop(environment), qPrintable(faultline.log()));
        X11Client x11;
        QTRY_VERIFY_WITH_TIMEOUT(x11.viewableWindows(kWindowTitle).size() == 1, 15000);
        const QJsonObject project = faultline.defaultProject();
        QCOMPARE(replay(faultline.port(), "python_exception_store", project.value("id").toInteger(),
                     project.value("public_key").toString())
                     .status,
            200);

        QVERIFY(x11.requestClose(x11.viewableWindows(kWindowTitle).first()));
        QCOMPARE(faultline.waitForExit(), 0);
        QVERIFY2(faultline.log().contains("stopped"), qPrintable(faultline.log()));
        QVERIFY(hasEvent(faultline, fixtureEventId("python_exception_store")));
    }

    void secondLaunchRaisesTheFirstAndOpensTheLink()
    {
        const QProcessEnvironment environment = desktopEnvironment("single");
        const QString db = m_dir.filePath("single.db");
        FaultlineProcess first(FAULTLINE_BINARY, db);
        QVERIFY2(first.startDesktop(environment), qPrintable(first.log()));
        X11Client x11;
        QTRY_VERIFY_WITH_TIMEOUT(x11.viewableWindows(kWindowTitle).size() == 1, 15000);
        const quint32 window = x11.viewableWindows(kWindowTitle).first();
        const QJsonObject project = first.defaultProject();
        QCOMPARE(replay(first.port(), "python_exception_store", project.value("id").toInteger(),
                     project.value("public_key").toString())
                     .status,
            200);
        const QJsonArray issues = first.issues();
        QCOMPARE(issues.size(), 1);
        const qint64 issueId = issues.first().toObject().value("id").toInteger();
        QVERIFY(x11.requestClose(window));
        QTRY_VERIFY_WITH_TIMEOUT(!x11.isViewable(window), 10000);

        FaultlineProcess second(FAULTLINE_BINARY, db);
        const QString link = QStringLiteral("faultline://issue/%1").arg(issueId);
        QVERIFY2(second.startDesktop(environment, { link }, "showed its window"), qPrintable(second.log()));
        QCOMPARE(second.waitForExit(), 0);
        QVERIFY2(!second.log().contains("collector listening"), qPrintable(second.log()));
        QTRY_VERIFY_WITH_TIMEOUT(x11.isViewable(window), 10000);
        QVERIFY2(
            first.waitForLog(QStringLiteral("opened issue %1 for %2").arg(issueId).arg(link)), qPrintable(first.log()));
        QCOMPARE(x11.viewableWindows(kWindowTitle).size(), 1); // still one window
    }

    void windowOpensAsAViewerOfARunningCollector()
    {
        const QProcessEnvironment environment = desktopEnvironment("viewer");
        const QString db = m_dir.filePath("viewer.db");
        FaultlineProcess collector(FAULTLINE_BINARY, db);
        collector.setEnvironment(environment);
        QVERIFY2(collector.start(), qPrintable(collector.log()));
        const QJsonObject project = collector.defaultProject();
        const qint64 projectId = project.value("id").toInteger();
        const QString key = project.value("public_key").toString();

        FaultlineProcess viewer(FAULTLINE_BINARY, db);
        QVERIFY2(viewer.startDesktop(environment, { "--log-level", "debug" }, "opening the window as a viewer"),
            qPrintable(viewer.log()));
        QVERIFY2(viewer.log().contains("faultline --headless (pid "), qPrintable(viewer.log()));
        X11Client x11;
        QTRY_VERIFY_WITH_TIMEOUT(x11.viewableWindows(kWindowTitle).size() == 1, 15000);
        QCOMPARE(replay(collector.port(), "python_exception_store", projectId, key).status, 200);
        QVERIFY2(viewer.waitForLog("live update from the collector: 1 events"), qPrintable(viewer.log()));
        QVERIFY(!viewer.log().contains("collector listening")); // no second listener

        QVERIFY(x11.requestClose(x11.viewableWindows(kWindowTitle).first()));
        QCOMPARE(viewer.waitForExit(), 0); // a viewer's window closes for real
        QVERIFY(collector.isRunning());
        QCOMPARE(replay(collector.port(), "node_exception_envelope", projectId, key).status, 200);
        QVERIFY(hasEvent(collector, fixtureEventId("node_exception_envelope")));
    }

    // #18: `faultline --db postgresql://…` opens the window as a viewer: no collector of its own, and
    // what a collector elsewhere commits shows through LISTEN/NOTIFY.
    void windowOpensAPostgresDatabaseAsAViewer()
    {
        PostgresCluster cluster;
        QVERIFY2(cluster.startWithDatabase(QStringLiteral("team")), qPrintable(cluster.error()));
        const QString uri = cluster.uri(QStringLiteral("team"));
        const QProcessEnvironment environment = desktopEnvironment("postgres-viewer");
        FaultlineProcess collector(FAULTLINE_BINARY, uri);
        collector.setEnvironment(environment);
        QVERIFY2(collector.start(), qPrintable(collector.log())); // creates the schema
        const QJsonObject project = collector.defaultProject();
        const qint64 projectId = project.value("id").toInteger();
        const QString key = project.value("public_key").toString();

        FaultlineProcess viewer(FAULTLINE_BINARY, uri);
        QVERIFY2(viewer.startDesktop(environment, { "--log-level", "debug" }, "listening for changes on PostgreSQL"),
            qPrintable(viewer.log()));
        QVERIFY2(viewer.log().contains("opening the window as a viewer of postgresql://"), qPrintable(viewer.log()));
        X11Client x11;
        QTRY_VERIFY_WITH_TIMEOUT(x11.viewableWindows(kWindowTitle).size() == 1, 15000);
        QCOMPARE(replay(collector.port(), "python_exception_store", projectId, key).status, 200);
        QVERIFY2(viewer.waitForLog("live update from PostgreSQL"), qPrintable(viewer.log()));
        QVERIFY(!viewer.log().contains("collector listening")); // a viewer only

        QVERIFY(x11.requestClose(x11.viewableWindows(kWindowTitle).first()));
        QCOMPARE(viewer.waitForExit(), 0);
        QVERIFY(collector.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestDesktopLifecycle)
#include "tst_desktop_lifecycle.moc"
