// The desktop shell's parts offscreen: faultline:// links, the tray menu
// (recent issues, pause), the notifier's pause, and the start-up failure
// dialog's words and remedies for each problem.
#include "screenshots.h"
#include "ui/app_icon.h"
#include "ui/app_settings.h"
#include "ui/faultline_link.h"
#include "ui/issue_notifier.h"
#include "ui/startup_failure.h"
#include "ui/startup_failure_dialog.h"
#include "ui/tray_icon.h"

#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

StartupFailure failureOf(StartupProblem problem, const QString &detail = {})
{
    StartupFailure failure;
    failure.problem = problem;
    failure.detail = detail;
    failure.dbPath = QStringLiteral("/home/dev/.local/share/faultline/faultline.db");
    failure.listenAddress = QStringLiteral("127.0.0.1:8990");
    return failure;
}

QStringList actionTexts(const QMenu *menu)
{
    QStringList texts;
    for (const QAction *action : menu->actions())
        if (action->isVisible() && !action->isSeparator())
            texts.append(action->text());
    return texts;
}

void saveScreenshot(QWidget &widget, const QString &name)
{
    if (const QString dir = screenshotDir(); !dir.isEmpty())
        QVERIFY(widget.grab().save(dir + u'/' + name));
}

} // namespace

class TestDesktopShell : public QObject {
    Q_OBJECT

private slots:
    void issueLinks()
    {
        QCOMPARE(issueIdFromLink("faultline://issue/42"), std::optional<qint64>(42));
        QCOMPARE(issueIdFromLink("faultline://issue/42/"), std::optional<qint64>(42));
        QCOMPARE(issueIdFromLink(issueLink(7)), std::optional<qint64>(7));
        QCOMPARE(issueIdFromLink("faultline://issue/"), std::nullopt);
        QCOMPARE(issueIdFromLink("faultline://issue/x1"), std::nullopt);
        QCOMPARE(issueIdFromLink("faultline://issue/-3"), std::nullopt);
        QCOMPARE(issueIdFromLink("faultline://project/42"), std::nullopt);
        QCOMPARE(issueIdFromLink("https://issue/42"), std::nullopt);
    }

    void iconsRender()
    {
        for (const QIcon &icon : { applicationIcon(), trayIcon(true), trayIcon(false) }) {
            const QImage image = icon.pixmap(32, 32).toImage();
            QVERIFY(!image.isNull());
            int opaque = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    opaque += qAlpha(image.pixel(x, y)) > 128 ? 1 : 0;
            QVERIFY2(opaque > 40, "the SVG did not render (is the Qt SVG icon engine installed?)");
        }
    }

    void trayMenuKeepsTheLastFewNewIssuesNewestFirst()
    {
        TrayIcon tray;
        QCOMPARE(actionTexts(tray.menu()).first(), QStringLiteral("&Open Faultline"));
        QVERIFY(actionTexts(tray.menu()).contains(QStringLiteral("&Quit Faultline")));
        for (qint64 id = 1; id <= 7; ++id)
            tray.addRecentIssue({ id, QStringLiteral("ZeroDivisionError: division by zero #%1").arg(id) });
        tray.addRecentIssue({ 5, QStringLiteral("ZeroDivisionError: division by zero #5") }); // again: moves up
        QList<qint64> ids;
        for (const RecentIssue &issue : tray.recentIssues())
            ids.append(issue.id);
        QCOMPARE(ids, (QList<qint64> { 5, 7, 6, 4, 3 }));
        const QStringList texts = actionTexts(tray.menu());
        const int first = int(texts.indexOf(QStringLiteral("ZeroDivisionError: division by zero #5")));
        QVERIFY(first > 0);
        QCOMPARE(texts.mid(first, 2).last(), QStringLiteral("ZeroDivisionError: division by zero #7"));

        tray.setPausedUntil(QDateTime(QDate::currentDate().addDays(1), QTime(8, 0)));
        saveLightAndDark(
            QStringLiteral("tray_menu"), [&tray] { return tray.menu()->grab(); }, darkPalette());
        tray.setPausedUntil({});

        QSignalSpy requested(&tray, &TrayIcon::issueRequested);
        for (QAction *action : tray.menu()->actions())
            if (action->text().endsWith(QLatin1String("#6")))
                action->trigger();
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().first().toLongLong(), 6);
    }

    void pausingShowsUntilWhenAndResumes()
    {
        TrayIcon tray;
        QSignalSpy paused(&tray, &TrayIcon::pauseRequested);
        QMenu *pauseMenu = tray.menu()->findChild<QMenu *>(QStringLiteral("trayPauseMenu"));
        QVERIFY(pauseMenu);
        pauseMenu->actions().first()->trigger(); // for 1 hour
        QCOMPARE(paused.size(), 1);
        const QDateTime until = paused.first().first().toDateTime();
        QVERIFY(qAbs(QDateTime::currentDateTime().secsTo(until) - 3600) < 5);
        pauseMenu->actions().last()->trigger(); // until tomorrow, 08:00
        QCOMPARE(paused.last().first().toDateTime(), QDateTime(QDate::currentDate().addDays(1), QTime(8, 0)));

        tray.setPausedUntil(until);
        QVERIFY(actionTexts(tray.menu()).filter(QStringLiteral("Paused until")).size() == 1);
        QVERIFY(actionTexts(tray.menu()).contains(QStringLiteral("&Resume Notifications")));
        tray.setPausedUntil({});
        QVERIFY(actionTexts(tray.menu()).filter(QStringLiteral("Paused until")).isEmpty());
    }

    void pausedNotifierShowsNothingAndSavesNothingUp()
    {
        IssueNotifier notifier(nullptr);
        QSignalSpy shown(&notifier, &IssueNotifier::shown);
        notifier.setPausedUntil(QDateTime::currentDateTime().addSecs(3600));
        notifier.notify(2, 1);
        QCOMPARE(notifier.shownCount(), 0);
        notifier.setPausedUntil({});
        notifier.notify(1, 0, QStringLiteral("KeyError: 'user'"), 12);
        QCOMPARE(notifier.shownCount(), 1);
        QCOMPARE(shown.last().at(0).toString(), QStringLiteral("1 new issue")); // not 3: the paused ones are gone
        QCOMPARE(shown.last().at(1).toString(), QStringLiteral("KeyError: 'user'"));
        notifier.setPausedUntil(QDateTime::currentDateTime().addSecs(-1)); // a pause that has ended
        notifier.notify(1, 0);
        QCOMPARE(notifier.shownCount(), 2);
    }

    void everyStartupProblemHasItsOwnExitCode()
    {
        QSet<int> codes;
        for (StartupProblem problem : { StartupProblem::PortInUse, StartupProblem::DatabaseUnopenable,
                 StartupProblem::DatabaseTooNew, StartupProblem::DataDirectoryNotWritable, StartupProblem::DiskFull,
                 StartupProblem::AlreadyCollecting, StartupProblem::DatabaseUnreachable, StartupProblem::Other })
            codes.insert(failureOf(problem).exitCode());
        QCOMPARE(codes.size(), 8);
        QVERIFY(!codes.contains(0));
        QVERIFY(!codes.contains(2)); // the command-line error's
        QCOMPARE(failureOf(StartupProblem::PortInUse).exitCode(), int(kExitPortInUse));
    }

    void portInUseOffersAnotherPort()
    {
        StartupFailureDialog dialog(
            failureOf(StartupProblem::PortInUse, "cannot listen on 127.0.0.1:8990 (Address already in use)"), QString(),
            8991);
        QCOMPARE(dialog.headingLabel()->text(), QStringLiteral("Another program already listens on 127.0.0.1:8990"));
        QVERIFY(dialog.explanationLabel()->text().contains("pick another port"));
        QCOMPARE(
            dialog.detailLabel()->text(), QStringLiteral("cannot listen on 127.0.0.1:8990 (Address already in use)"));
        QVERIFY(!dialog.databaseButton());
        QVERIFY(!dialog.logButton()); // no log file given
        QVERIFY(dialog.portButton());
        QCOMPARE(dialog.port(), quint16(8991));
        dialog.findChild<QSpinBox *>(QStringLiteral("startupPort"))->setValue(9100);
        dialog.resize(dialog.sizeHint());
        dialog.show();
        saveLightAndDark(
            QStringLiteral("startup_port_in_use"), [&dialog] { return dialog.grab(); }, darkPalette());
        dialog.portButton()->click();
        QCOMPARE(dialog.choice(), StartupFailureDialog::Choice::UseAnotherPort);
        QCOMPARE(dialog.port(), quint16(9100));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void newerDatabaseOffersAnotherDatabaseAndTheLog()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath("faultline.log");
        QFile file(log);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("2026-12-05T13:00:00.000 critical [1] ...\n");
        file.close();
        StartupFailureDialog dialog(
            failureOf(StartupProblem::DatabaseTooNew, "schema version 99; this Faultline 0.1.0 reads up to 12"), log,
            8991);
        QVERIFY(dialog.headingLabel()->text().contains("was written by a newer Faultline"));
        QVERIFY(dialog.explanationLabel()->text().contains("Install the newer Faultline"));
        QVERIFY(dialog.databaseButton());
        QVERIFY(dialog.logButton());
        QVERIFY(!dialog.portButton());
        dialog.resize(dialog.sizeHint());
        dialog.show();
        saveScreenshot(dialog, QStringLiteral("startup_database_too_new.png"));
        dialog.chooseDatabase(dir.filePath("other.db"));
        QCOMPARE(dialog.choice(), StartupFailureDialog::Choice::OpenAnotherDatabase);
        QCOMPARE(dialog.databasePath(), dir.filePath("other.db"));
    }

    void everyProblemNamesItselfAndWhatToDo()
    {
        const QList<QPair<StartupProblem, QString>> expected {
            { StartupProblem::DatabaseUnopenable, "cannot be opened" },
            { StartupProblem::DataDirectoryNotWritable, "cannot write to its data directory" },
            { StartupProblem::DiskFull, "is full" },
            { StartupProblem::AlreadyCollecting, "already collects" },
        };
        for (const auto &[problem, words] : expected) {
            const StartupFailure failure = failureOf(problem, "detail");
            QVERIFY2(failure.heading().contains(words), qPrintable(failure.heading()));
            QVERIFY(failure.text().startsWith(failure.heading() + ".\n" + failure.explanation()));
            QVERIFY(failure.text().endsWith("(detail)"));
            StartupFailureDialog dialog(failure, QString(), 8991);
            QCOMPARE(dialog.headingLabel()->text(), failure.heading());
            QVERIFY(dialog.retryButton());
        }
    }
};

QTEST_MAIN(TestDesktopShell)
#include "tst_desktop_shell.moc"
