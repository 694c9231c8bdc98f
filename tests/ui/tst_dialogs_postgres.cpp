// The window's Grouping Rules and Alerts dialogs on a PostgreSQL database
// (#18): a MainWindow on a StorageGateway over a throw-away cluster holding
// the captured client events, with merges made through the backend. The rules
// dialog lists them, removes one and re-groups the project; the alert
// settings store a rule and the email server in PostgreSQL. With
// FAULTLINE_SCREENSHOT_DIR set it saves both dialogs at 1000×700, light and dark.
#include "dark_palette.h"
#include "list_waits.h"
#include "settle_layouts.h"
#include "ui_test_data.h"

#include "storage/alert_store.h"
#include "storage/backend.h"
#include "storage/grouping_rule_store.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "support/postgres_cluster.h"
#include "ui/alert_rule_form.h"
#include "ui/alert_settings_dialog.h"
#include "ui/grouping_rules_dialog.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
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
    QString uri() const { return m_cluster.uri(QStringLiteral("dialogs")); }
    void mergeByTitle(const QString &prefix); // every issue whose title starts so, into one

    PostgresCluster m_cluster;
    std::unique_ptr<StorageBackend> m_backend;
    std::unique_ptr<StorageGateway> m_storage;
};

void TestDialogsPostgres::initTestCase()
{
    QSettings().clear();
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("dialogs")), qPrintable(m_cluster.error()));
    auto backend = openStorageBackend(uri(), BackendUse::Create);
    QVERIFY2(backend, qPrintable(backend.error().detail));
    m_backend = std::move(backend).value();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<IncomingEvent> events;
    qint64 received = now - 5 * 3600'000;
    for (const QString &name : eventFixtureNames())
        events.append(fixtureIncoming(name, received += 60'000));
    EventWriter writer(uri(), WriterOptions { 10000, 512 });
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    const auto written = writeAndWait(writer, events);
    QVERIFY(written);
    writer.stop();
    mergeByTitle(QStringLiteral("ZeroDivisionError"));
    mergeByTitle(QStringLiteral("ValidationError"));
    QCOMPARE(m_backend->groupingRules().forProject(1, &error).size(), 2);
    m_storage = std::make_unique<StorageGateway>(uri());
}

void TestDialogsPostgres::mergeByTitle(const QString &prefix)
{
    QString error;
    IssueListRequest request;
    QList<qint64> ids;
    for (const IssueRow &issue : m_backend->issues().list(request, &error))
        if (issue.title.startsWith(prefix))
            ids.append(issue.id);
    QVERIFY2(ids.size() >= 2, qPrintable(prefix));
    QVERIFY2(m_backend->merger().merge(ids, 0, QDateTime::currentMSecsSinceEpoch(), &error), qPrintable(error));
}

std::unique_ptr<MainWindow> TestDialogsPostgres::openWindow()
{
    MainWindowContext context;
    context.dbPath = uri();
    context.storage = m_storage.get();
    context.collectorStatus = []() { return CollectorStatus(); };
    auto window = std::make_unique<MainWindow>(context);
    window->resize(1400, 900);
    window->show();
    if (!listSettled(*window))
        qWarning() << "the list did not load";
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
    QCOMPARE(m_backend->groupingRules().forProject(1, &error).size(), 1);

    // Re-group: every event looked at, the remaining merge kept.
    QSignalSpy finished(dialog, &GroupingRulesDialog::regroupFinished);
    dialog->regroup();
    QVERIFY(finished.wait(30'000));
    const auto report = finished.first().first().value<RegroupReport>();
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.events, qint64(eventFixtureNames().size()));
    QCOMPARE(report.moved, 0);
    QVERIFY2(dialog->messageLabel()->text().startsWith(u"Re-grouped:"), qPrintable(dialog->messageLabel()->text()));
    QCOMPARE(m_backend->groupingRules().forProject(1, &error).size(), 1);
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
    const QList<AlertRule> stored = m_backend->alerts().rules(1);
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
    QVERIFY(m_backend->alerts().addDelivery(delivery) > 0);
    dialog->refreshDeliveries();
    QTRY_COMPARE(dialog->deliveryList()->topLevelItemCount(), 1);
    dialog->close();
}

void TestDialogsPostgres::screenshots()
{
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
    QDir().mkpath(dir);
    const QPalette light = QApplication::palette();
    for (const bool dark : { false, true }) {
        if (dark)
            QApplication::setPalette(darkTestPalette());
        const QString suffix = dark ? QStringLiteral("_dark.png") : QStringLiteral(".png");
        auto window = openWindow();
        GroupingRulesDialog *rules = window->openGroupingRules();
        QVERIFY(rules);
        QSignalSpy refreshed(rules, &GroupingRulesDialog::refreshed);
        QVERIFY(refreshed.count() > 0 || refreshed.wait(10'000));
        rules->resize(1000, 700);
        QVERIFY(settleLayouts(rules));
        QVERIFY(rules->grab().save(dir + QStringLiteral("/grouping_rules_postgres") + suffix));
        rules->close();
        AlertSettingsDialog *alerts = window->openAlertSettings();
        QVERIFY(alerts);
        QTRY_VERIFY(alerts->isSettled());
        alerts->resize(1000, 700);
        QVERIFY(settleLayouts(alerts));
        QVERIFY(alerts->grab().save(dir + QStringLiteral("/alert_settings_postgres") + suffix));
        alerts->close();
    }
    QApplication::setPalette(light);
}

QTEST_MAIN(TestDialogsPostgres)
#include "tst_dialogs_postgres.moc"
