// The window's Grouping Rules and Alerts dialogs on a PostgreSQL database
// (#18): a MainWindow on a StorageGateway over a throw-away cluster holding
// the captured client events, with merges made through the backend. The rules
// dialog lists them, removes one and re-groups the project; the alert
// settings store a rule and the email server in PostgreSQL. With
// FAULTLINE_SCREENSHOT_DIR set it saves both dialogs at 1000×700, light and dark.
#include "list_waits.h"
#include "postgres_window_fixture.h"
#include "screenshots.h"
#include "settle_layouts.h"
#include "ui_test_data.h"

#include "storage/alert_store.h"
#include "storage/backend.h"
#include "storage/grouping_rule_store.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/alert_rule_form.h"
#include "ui/alert_settings_dialog.h"
#include "ui/grouping_rules_dialog.h"
#include "ui/main_window.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace faultline;
using namespace faultline::test;

class TestDialogsPostgres : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void groupingRulesListRemoveAndRegroup();
    void alertSettingsStoreInPostgres();
    void screenshots();

private:
    std::unique_ptr<MainWindow> openWindow();
    QString uri() const { return m_postgresDb.uri(); }
    void mergeByTitle(const QString &prefix); // every issue whose title starts so, into one

    PostgresWindowFixture m_postgresDb;
    std::unique_ptr<StorageGateway> m_storage;
};

void TestDialogsPostgres::initTestCase()
{
    QVERIFY(m_postgresDb.start(QStringLiteral("dialogs")));
    QVERIFY(writeAsCollector(uri(), fixtureEventsOverHours(QDateTime::currentMSecsSinceEpoch())));
    mergeByTitle(QStringLiteral("ZeroDivisionError"));
    mergeByTitle(QStringLiteral("ValidationError"));
    QString error;
    QCOMPARE(m_postgresDb.owner().groupingRules().forProject(1, &error).size(), 2);
    m_storage = std::make_unique<StorageGateway>(uri());
}

void TestDialogsPostgres::mergeByTitle(const QString &prefix)
{
    QString error;
    IssueListRequest request;
    QList<qint64> ids;
    for (const IssueRow &issue : m_postgresDb.owner().issues().list(request, &error))
        if (issue.title.startsWith(prefix))
            ids.append(issue.id);
    QVERIFY2(ids.size() >= 2, qPrintable(prefix));
    QVERIFY2(
        m_postgresDb.owner().merger().merge(ids, 0, QDateTime::currentMSecsSinceEpoch(), &error), qPrintable(error));
}

std::unique_ptr<MainWindow> TestDialogsPostgres::openWindow()
{
    auto window = openTestWindow(*m_storage, uri());
    window->projectView()->setCurrentIndex(window->projectModel()->index(1)); // the default project
    if (!listSettled(*window))
        qWarning() << "the project's list did not load";
    return window;
}

void TestDialogsPostgres::groupingRulesListRemoveAndRegroup()
{
    auto window = openWindow();
    QCOMPARE(window->selectedProjectId(), 1);
    GroupingRulesDialog *dialog = window->openGroupingRules();
    QVERIFY(dialog);
    QSignalSpy refreshed(dialog, &GroupingRulesDialog::refreshed);
    QVERIFY(refreshed.count() > 0 || refreshed.wait(10'000));
    QCOMPARE(dialog->ruleList()->topLevelItemCount(), 2);
    QVERIFY(dialog->ruleList()->topLevelItem(0)->text(2).contains(u"ValidationError"));

    // Remove the newest (the ValidationError merge): its keys' events leave into an issue of their own.
    dialog->ruleList()->setCurrentItem(dialog->ruleList()->topLevelItem(0));
    refreshed.clear();
    QCOMPARE(dialog->removeSelected().result(), 1);
    QVERIFY(refreshed.count() > 0 || refreshed.wait(10'000));
    QTRY_COMPARE(dialog->ruleList()->topLevelItemCount(), 1);
    QVERIFY2(dialog->messageLabel()->text().startsWith(u"Removed:"), qPrintable(dialog->messageLabel()->text()));
    QString error;
    QCOMPARE(m_postgresDb.owner().groupingRules().forProject(1, &error).size(), 1);

    // Re-group: every event looked at, the remaining merge kept.
    QSignalSpy finished(dialog, &GroupingRulesDialog::regroupFinished);
    dialog->regroup();
    QVERIFY(finished.wait(30'000));
    const auto report = finished.first().first().value<RegroupReport>();
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.events, qint64(eventFixtureNames().size()));
    QCOMPARE(report.moved, 0);
    QVERIFY2(dialog->messageLabel()->text().startsWith(u"Re-grouped:"), qPrintable(dialog->messageLabel()->text()));
    QCOMPARE(m_postgresDb.owner().groupingRules().forProject(1, &error).size(), 1);
    dialog->close();
}

void TestDialogsPostgres::alertSettingsStoreInPostgres()
{
    auto window = openWindow();
    AlertSettingsDialog *dialog = window->openAlertSettings();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isSettled());
    QCOMPARE(dialog->ruleList()->count(), 0);
    dialog->ruleForm()->targetEdit()->setText(QStringLiteral("https://hooks.slack.com/services/T0/B0/x"));
    QVERIFY(dialog->saveRule());
    QTRY_VERIFY(dialog->isSettled());
    QCOMPARE(dialog->ruleList()->count(), 1);
    const QList<AlertRule> stored = m_postgresDb.owner().alerts().rules(1);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().target, QStringLiteral("https://hooks.slack.com/services/T0/B0/x"));
    // A delivery a collector recorded shows in the list.
    AlertDelivery delivery;
    delivery.ruleId = stored.first().id;
    delivery.summary = QStringLiteral("New issue: ZeroDivisionError: division by zero");
    delivery.createdMs = QDateTime::currentMSecsSinceEpoch() - 120'000;
    delivery.state = DeliveryState::Sent;
    delivery.attempts = 1;
    delivery.detail = QStringLiteral("HTTP 200");
    QVERIFY(m_postgresDb.owner().alerts().addDelivery(delivery) > 0);
    dialog->refreshDeliveries();
    QTRY_COMPARE(dialog->deliveryList()->topLevelItemCount(), 1);
    dialog->close();
}

void TestDialogsPostgres::screenshots()
{
    if (screenshotDir().isEmpty())
        QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
    shootLightAndDark([&](const ThemedShots &shots) {
        auto window = openWindow();
        GroupingRulesDialog *rules = window->openGroupingRules();
        QVERIFY(rules);
        QSignalSpy refreshed(rules, &GroupingRulesDialog::refreshed);
        QVERIFY(refreshed.count() > 0 || refreshed.wait(10'000));
        rules->resize(1000, 700);
        QVERIFY(settleLayouts(rules));
        QVERIFY(shots.save(QStringLiteral("grouping_rules_postgres"), rules->grab()));
        rules->close();
        AlertSettingsDialog *alerts = window->openAlertSettings();
        QVERIFY(alerts);
        QTRY_VERIFY(alerts->isSettled());
        alerts->resize(1000, 700);
        QVERIFY(settleLayouts(alerts));
        QVERIFY(shots.save(QStringLiteral("alert_settings_postgres"), alerts->grab()));
        alerts->close();
    });
}

QTEST_MAIN(TestDialogsPostgres)
#include "tst_dialogs_postgres.moc"
