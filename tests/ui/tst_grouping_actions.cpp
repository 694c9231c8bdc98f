// Merge and split from the window (#13), offscreen, on captured SDK events
// through the real writer: "Merge…" on two selected rows names the issue that
// stays and merges them on the write worker; "Split Off a Grouping Key…"
// lists the shown issue's keys and splits one off; Issue › Grouping Rules
// lists both and removes one; events written afterwards follow the rules.
#include "list_waits.h"
#include "screenshots.h"
#include "settle_layouts.h"
#include "ui_test_data.h"

#include "storage/event_queries.h"
#include "storage/issue_queries.h"
#include "storage/storage_gateway.h"
#include "ui/grouping_rules_dialog.h"
#include "ui/issue_detail_view.h"
#include "ui/main_window.h"
#include "ui/query_bar.h"
#include "ui/split_issue_dialog.h"
#include "ui/triage/issue_list_model.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTreeWidget>

using namespace faultline;
using namespace faultline::test;

class TestGroupingActions : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("faultline-ui-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_grouping_actions"));
        QSettings().clear();
    }

    // Each test starts from the same four events in a database of its own, and makes
    // the merges and splits it builds on itself: any one runs alone, in any order.
    void init()
    {
        m_data = std::make_unique<UiTestDatabase>();
        QVERIFY(m_data->start());
        const qint64 base = QDateTime::currentMSecsSinceEpoch() - 30 * 60'000;
        QList<WriteOutcome> outcomes;
        QVERIFY(m_data->write({ fixtureIncoming(QStringLiteral("pydantic_validation_store"), base),
                                  fixtureIncoming(QStringLiteral("pydantic_validation_store"), base + 60'000, 1),
                                  fixtureIncoming(QStringLiteral("django_drf_validation_store"), base + 120'000),
                                  fixtureIncoming(QStringLiteral("python_exception_store"), base + 180'000) },
            &outcomes));
        m_pydantic = outcomes[0].issueId;
        m_drf = outcomes[2].issueId;
        QVERIFY(m_pydantic != m_drf);
    }

    void cleanup()
    {
        m_storage.reset(); // its connections are to m_data's file
        m_data.reset();
    }

    void mergeFromTheList()
    {
        auto window = openWindow();
        selectRows(*window, { m_drf, m_pydantic });
        std::unique_ptr<QMenu> menu(window->rowMenu());
        QAction *merge = menu->findChild<QAction *>(QStringLiteral("mergeAction"));
        QVERIFY(merge && merge->isEnabled());
        QVERIFY(!menu->findChild<QAction *>(QStringLiteral("splitAction"))->isEnabled()); // one issue at a time

        // The question names the one that stays: the Pydantic issue, with more events.
        QMessageBox *box = shownAnswer(window->mergeConfirmation(window->selectedIssueIds()));
        QVERIFY(box->text().contains(QStringLiteral("#%1 ValidationError").arg(m_pydantic)));
        QVERIFY(box->text().indexOf(QStringLiteral("#%1").arg(m_pydantic))
            < box->text().indexOf(QLatin1String("These move")));
        box->close();

        QSignalSpy finished(window.get(), &MainWindow::groupingChangeFinished);
        window->mergeSelectedIssues();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().first().toLongLong(), m_pydantic);
        QVERIFY(window->actionMessage()->text().contains(QStringLiteral("into #%1").arg(m_pydantic)));
        QCOMPARE(window->issueModel()->rowOfIssue(m_drf), -1);
        QCOMPARE(window->detailView()->issue()->id, m_pydantic);

        // The DRF error's next event lands in the merged issue.
        QList<WriteOutcome> outcomes;
        QVERIFY(m_data->write(
            { fixtureIncoming(QStringLiteral("django_drf_validation_store"), QDateTime::currentMSecsSinceEpoch(), 2) },
            &outcomes));
        QCOMPARE(outcomes[0].issueId, m_pydantic);
    }

    void splitFromTheDetail()
    {
        auto window = openWindow();
        mergeDrfIntoPydantic(*window);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(shownAnswer(window->openIssue(m_pydantic)));
        SplitIssueDialog *dialog = openSplit(*window);
        QVERIFY(dialog);
        QTreeWidget *keys = dialog->keyList();
        QCOMPARE(keys->topLevelItemCount(), 2);
        QTreeWidgetItem *drfKey = nullptr;
        for (int i = 0; i < keys->topLevelItemCount(); ++i)
            if (keys->topLevelItem(i)->text(3).contains(QLatin1String("rest_framework")))
                drfKey = keys->topLevelItem(i);
        QVERIFY(drfKey);
        QCOMPARE(drfKey->text(1), QStringLiteral("2"));
        QCOMPARE(drfKey->text(2), QStringLiteral("merged in"));
        QVERIFY(dialog->selectedHash().isEmpty());
        keys->setCurrentItem(drfKey);
        QVERIFY(!dialog->selectedHash().isEmpty());

        QSignalSpy finished(window.get(), &MainWindow::groupingChangeFinished);
        dialog->findChild<QPushButton *>(QStringLiteral("splitButton"))->click();
        QVERIFY(finished.wait(5000));
        const qint64 split = finished.first().first().toLongLong();
        QVERIFY(split > 0 && split != m_pydantic);
        QCOMPARE(window->detailView()->issue()->id, split);
        QCOMPARE(window->issueModel()->issueAt(window->issueModel()->rowOfIssue(split))->count, 2);

        QList<WriteOutcome> outcomes;
        QVERIFY(m_data->write(
            { fixtureIncoming(QStringLiteral("django_drf_validation_store"), QDateTime::currentMSecsSinceEpoch(), 3) },
            &outcomes));
        QCOMPARE(outcomes[0].issueId, split);
    }

    void rulesAreListedAndRemovable()
    {
        auto window = openWindow();
        mergeDrfIntoPydantic(*window);
        if (QTest::currentTestFailed())
            return;
        splitDrfOut(*window);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(shownAnswer(window->openIssue(m_pydantic)));
        GroupingRulesDialog *rules = window->openGroupingRules();
        QVERIFY(rules);
        QSignalSpy shown(rules, &GroupingRulesDialog::refreshed);
        QVERIFY(shown.wait()); // read on the storage reader
        QCOMPARE(rules->ruleList()->topLevelItemCount(), 2);
        QCOMPARE(rules->ruleList()->topLevelItem(0)->text(1), QStringLiteral("Split"));
        const QString merge = rules->ruleList()->topLevelItem(1)->text(2);
        QVERIFY2(merge.startsWith(QStringLiteral("Into #%1 “").arg(m_pydantic))
                && merge.contains(QStringLiteral("merged #%1 “").arg(m_drf)),
            qPrintable(merge));
        QVERIFY(!rules->removeButton()->isEnabled());
        rules->ruleList()->setCurrentItem(rules->ruleList()->topLevelItem(0));
        QSignalSpy changed(rules, &GroupingRulesDialog::rulesChanged);
        rules->removeSelected();
        QVERIFY(changed.wait(5000));
        QTRY_COMPARE(rules->ruleList()->topLevelItemCount(), 1);
        QVERIFY2(rules->messageLabel()->text().contains(QStringLiteral("back into #%1").arg(m_pydantic)),
            qPrintable(rules->messageLabel()->text()));
        // The split is undone: the DRF error goes back to the merged issue.
        QList<WriteOutcome> outcomes;
        QVERIFY(m_data->write(
            { fixtureIncoming(QStringLiteral("django_drf_validation_store"), QDateTime::currentMSecsSinceEpoch(), 4) },
            &outcomes));
        QCOMPARE(outcomes[0].issueId, m_pydantic);
    }

    void regroupFromTheDialog()
    {
        auto window = openWindow();
        mergeDrfIntoPydantic(*window);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(shownAnswer(window->openIssue(m_pydantic)));
        GroupingRulesDialog *rules = window->openGroupingRules();
        QVERIFY(rules);
        QString error;
        auto db = Database::open(m_data->path(), Database::Mode::ReadOnly, &error);
        QVERIFY2(db, qPrintable(error));
        const qint64 events = EventQueries(*db).countForIssue(m_pydantic);
        QSignalSpy finished(rules, &GroupingRulesDialog::regroupFinished);
        rules->regroup();
        QVERIFY(rules->progressDialog() && rules->progressDialog()->isVisible());
        QVERIFY(!rules->regroupButton()->isEnabled());
        QVERIFY(finished.wait(10000));
        const auto report = finished.first().first().value<RegroupReport>();
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.events, 5); // the four the test started from, and the DRF error's second
        QCOMPARE(report.moved, 0); // grouped under v2 already, and the merge stays
        QCOMPARE(EventQueries(*db).countForIssue(m_pydantic), events);
        QVERIFY(!rules->progressDialog());
        QVERIFY2(rules->messageLabel()->text().startsWith(QLatin1String("Re-grouped:")),
            qPrintable(rules->messageLabel()->text()));
    }

    void screenshots()
    {
        if (screenshotDir().isEmpty())
            QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
        {
            // Merged, so the split dialog and the rules have something to show.
            auto window = openWindow();
            mergeDrfIntoPydantic(*window);
            if (QTest::currentTestFailed())
                return;
        }
        shootLightAndDark([&](const ThemedShots &shots) {
            auto window = openWindow();
            window->resize(1000, 700);
            QVERIFY(shownAnswer(window->openIssue(m_pydantic)));
            QVERIFY(settleLayouts(window.get()));
            QVERIFY(shots.save(QStringLiteral("grouping_window_1000x700"), window->grab()));
            selectRows(*window, { m_pydantic, otherIssue(*window) });
            QCOMPARE(window->selectedIssueIds().size(), 2);
            std::unique_ptr<QMenu> menu(window->rowMenu());
            QVERIFY(menu->findChild<QAction *>(QStringLiteral("mergeAction"))->isEnabled());
            menu->popup(window->mapToGlobal(QPoint(300, 200)));
            QVERIFY(settleLayouts(menu.get()));
            QVERIFY(shots.save(QStringLiteral("grouping_row_menu"), menu->grab()));
            menu->close();
            QMessageBox *box = shownAnswer(window->mergeConfirmation(window->selectedIssueIds()));
            box->show();
            QVERIFY(settleLayouts(box));
            QVERIFY(shots.save(QStringLiteral("grouping_merge_confirmation"), box->grab()));
            box->close();
            QVERIFY(shownAnswer(window->openIssue(m_pydantic)));
            SplitIssueDialog *split = openSplit(*window);
            QVERIFY(split);
            QVERIFY(settleLayouts(split));
            QVERIFY(shots.save(QStringLiteral("grouping_split_dialog"), split->grab()));
            split->close();
            GroupingRulesDialog *rules = window->openGroupingRules();
            QSignalSpy rulesShown(rules, &GroupingRulesDialog::refreshed);
            QVERIFY(rulesShown.wait()); // read on the storage reader
            QVERIFY(settleLayouts(rules));
            QVERIFY(shots.save(QStringLiteral("grouping_rules_dialog"), rules->grab()));
            QSignalSpy regrouped(rules, &GroupingRulesDialog::regroupFinished);
            rules->regroup();
            QVERIFY(shots.save(QStringLiteral("grouping_regroup_progress"), rules->progressDialog()->grab()));
            QVERIFY(regrouped.wait(10000));
            QVERIFY(shots.save(QStringLiteral("grouping_rules_regrouped"), rules->grab()));
            rules->close();
        });
    }

private:
    // The split dialog, shown once its keys are read; null when it did not show.
    static SplitIssueDialog *openSplit(MainWindow &window)
    {
        window.openSplitDialog();
        SplitIssueDialog *shown = nullptr;
        const bool opened = QTest::qWaitFor(
            [&] {
                for (SplitIssueDialog *dialog : window.findChildren<SplitIssueDialog *>())
                    if (dialog->isVisible())
                        shown = dialog;
                return shown != nullptr;
            },
            10'000);
        return opened ? shown : nullptr;
    }

    // What mergeFromTheList does, without its checks: the DRF issue merged into the
    // Pydantic one, and the DRF error's next event, which lands in the merged issue.
    void mergeDrfIntoPydantic(MainWindow &window)
    {
        selectRows(window, { m_drf, m_pydantic });
        QSignalSpy finished(&window, &MainWindow::groupingChangeFinished);
        window.mergeSelectedIssues();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().first().toLongLong(), m_pydantic);
        QList<WriteOutcome> outcomes;
        QVERIFY(m_data->write(
            { fixtureIncoming(QStringLiteral("django_drf_validation_store"), QDateTime::currentMSecsSinceEpoch(), 2) },
            &outcomes));
        QCOMPARE(outcomes[0].issueId, m_pydantic);
    }

    // What splitFromTheDetail does, without its checks: the DRF events split out again.
    void splitDrfOut(MainWindow &window)
    {
        QVERIFY(shownAnswer(window.openIssue(m_pydantic)));
        SplitIssueDialog *dialog = openSplit(window);
        QVERIFY(dialog);
        QTreeWidget *keys = dialog->keyList();
        for (int i = 0; i < keys->topLevelItemCount(); ++i)
            if (keys->topLevelItem(i)->text(3).contains(QLatin1String("rest_framework")))
                keys->setCurrentItem(keys->topLevelItem(i));
        QVERIFY(!dialog->selectedHash().isEmpty());
        QSignalSpy finished(&window, &MainWindow::groupingChangeFinished);
        dialog->findChild<QPushButton *>(QStringLiteral("splitButton"))->click();
        QVERIFY(finished.wait(5000));
        QVERIFY(finished.first().first().toLongLong() > 0);
    }

    std::unique_ptr<MainWindow> openWindow()
    {
        MainWindowContext context;
        context.dbPath = m_data->path();
        if (!m_storage)
            m_storage = std::make_unique<StorageGateway>(m_data->path());
        context.storage = m_storage.get();
        context.collectorHostPort = QStringLiteral("127.0.0.1:8990");
        context.writer = m_data->writer();
        auto window = std::make_unique<MainWindow>(context);
        window->resize(1400, 900);
        window->show();
        window->queryBar()->setText(QString()); // every status
        window->refreshNow();
        if (!listSettled(*window))
            QTest::qFail("the window's list did not load", __FILE__, __LINE__);
        return window;
    }

    static qint64 otherIssue(MainWindow &window)
    {
        for (int row = 0; row < window.issueModel()->rowCount(); ++row)
            if (const qint64 id = window.issueModel()->issueId(row); id != 0)
                if (window.issueModel()->issueAt(row)->title.contains(QLatin1String("ZeroDivision")))
                    return id;
        return 0;
    }

    static void selectRows(MainWindow &window, const QList<qint64> &ids)
    {
        QItemSelectionModel *selection = window.issueView()->selectionModel();
        selection->clearSelection();
        for (qint64 id : ids) {
            const int row = window.issueModel()->rowOfIssue(id);
            QVERIFY2(row >= 0, qPrintable(QStringLiteral("issue %1 is not in the list").arg(id)));
            selection->select(window.issueModel()->index(row, IssueListModel::TitleColumn),
                QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }

    std::unique_ptr<UiTestDatabase> m_data;
    std::unique_ptr<StorageGateway> m_storage; // made by the test's first window, gone before m_data
    qint64 m_pydantic = 0;
    qint64 m_drf = 0;
};

QTEST_MAIN(TestGroupingActions)
#include "tst_grouping_actions.moc"
