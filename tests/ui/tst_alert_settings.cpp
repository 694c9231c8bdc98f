// The alert settings: rules saved per project and validated, the SMTP server,
// and the deliveries list showing what the engine recorded (sent, retrying,
// failed, held back). With FAULTLINE_SCREENSHOT_DIR set, saves screenshots.
#include "screenshots.h"
#include "settle_layouts.h"
#include "storage/storage_gateway.h"
#include "ui/alert_rule_form.h"
#include "ui/alert_settings_dialog.h"
#include "ui/app_settings.h"
#include "ui_test_data.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTreeWidget>

using namespace faultline;
using namespace faultline::test;

class TestAlertSettings : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_data.start());
        QVERIFY(m_data.write({ fixtureIncoming(QStringLiteral("python_exception_store"), 1'760'000'000'000) }));
        m_db = Database::open(m_data.path(), Database::Mode::ReadWrite, nullptr);
        QVERIFY(m_db);
        m_shop = *ProjectStore(*m_db).add(QStringLiteral("shop"));
        m_storage = std::make_unique<StorageGateway>(m_data.path());
    }

    void savesAValidatedRulePerProject()
    {
        AlertSettingsDialog dialog(*m_storage, ProjectStore(*m_db).all(), 1);
        QTRY_VERIFY(dialog.isSettled());
        QCOMPARE(dialog.projectId(), 1);
        QCOMPARE(dialog.ruleList()->count(), 0);
        // A new rule needs somewhere to go.
        QVERIFY(!dialog.saveRule());
        QCOMPARE(dialog.problemText(), QStringLiteral("Enter the webhook URL."));
        dialog.ruleForm()->targetEdit()->setText(QStringLiteral("hooks.slack.com/services/x"));
        QVERIFY(!dialog.saveRule());
        QCOMPARE(dialog.problemText(), QStringLiteral("The webhook URL must be an http:// or https:// address."));
        dialog.ruleForm()->targetEdit()->setText(QStringLiteral("https://hooks.slack.com/services/T0/B0/x"));
        dialog.ruleForm()->formatCombo()->setCurrentIndex(
            dialog.ruleForm()->formatCombo()->findData(int(WebhookFormat::Slack)));
        QVERIFY(dialog.saveRule());
        QTRY_VERIFY(dialog.isSettled());
        QCOMPARE(dialog.ruleList()->count(), 1);
        const QList<AlertRule> stored = SqliteAlertStore(*m_db).rules(1);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().format, WebhookFormat::Slack);
        QCOMPARE(stored.first().target, QStringLiteral("https://hooks.slack.com/services/T0/B0/x"));
        QVERIFY(stored.first().onNewIssue && stored.first().onRegression && !stored.first().onEscalation);
        // The other project has its own rules.
        dialog.showProject(m_shop.id);
        QTRY_VERIFY(dialog.isSettled());
        QCOMPARE(dialog.ruleList()->count(), 0);
        QVERIFY(SqliteAlertStore(*m_db).rules(m_shop.id).isEmpty());
    }

    void listsWhatTheEngineRecorded()
    {
        AlertRule email;
        email.projectId = 1;
        email.name = QStringLiteral("on call");
        email.channel = AlertChannel::Email;
        email.target = QStringLiteral("oncall@example.com");
        const qint64 ruleId = SqliteAlertStore(*m_db).saveRule(email);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        AlertDelivery delivery { 0, ruleId, 1, {}, {}, AlertTrigger::NewIssue,
            QStringLiteral("New issue in default: ZeroDivisionError: division by zero"), now - 120'000, 0,
            DeliveryState::Sent, 1, QStringLiteral("accepted by smtp.example.com") };
        SqliteAlertStore store(*m_db);
        store.addDelivery(delivery);
        delivery.createdMs = now - 30'000;
        delivery.trigger = AlertTrigger::Regression;
        delivery.summary = QStringLiteral("Regression in default: ZeroDivisionError: division by zero");
        delivery.state = DeliveryState::Failed;
        delivery.attempts = 5;
        delivery.detail = QStringLiteral("the server does not offer STARTTLS");
        store.addDelivery(delivery);
        AlertSettingsDialog dialog(*m_storage, ProjectStore(*m_db).all(), 1);
        QTRY_VERIFY(dialog.isSettled());
        QTreeWidget *list = dialog.deliveryList();
        QCOMPARE(list->topLevelItemCount(), 2);
        QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("on call"));
        QCOMPARE(list->topLevelItem(0)->text(3), QStringLiteral("failed"));
        QCOMPARE(list->topLevelItem(0)->text(4), QStringLiteral("5"));
        QCOMPARE(list->topLevelItem(0)->text(5), QStringLiteral("the server does not offer STARTTLS"));
        QCOMPARE(list->topLevelItem(1)->text(3), QStringLiteral("sent"));
        dialog.showProject(m_shop.id);
        QTRY_VERIFY(dialog.isSettled());
        QCOMPARE(list->topLevelItemCount(), 0);
    }

    // A self-signed mail server is trusted by naming its certificate, kept with the server.
    void smtpCaFileIsStoredWithTheServer()
    {
        QVERIFY(SqliteAlertStore(*m_db).setSmtpServer(SmtpServer { QStringLiteral("mail.internal"), 587,
            SmtpSecurity::StartTls, {}, {}, QStringLiteral("faultline@example.com"), QStringLiteral("/srv/ca.pem") }));
        AlertSettingsDialog dialog(
            *m_storage, ProjectStore(*m_db).all(), 1, [](const AlertRule &, const AlertIssue &) {});
        QTRY_VERIFY(dialog.isSettled());
        auto *caFile = dialog.findChild<QLineEdit *>(QStringLiteral("smtpCaFile"));
        QVERIFY(caFile);
        QCOMPARE(caFile->text(), QStringLiteral("/srv/ca.pem"));
        caFile->setText(QStringLiteral("  /srv/other-ca.pem "));
        QPushButton *save = nullptr;
        for (QPushButton *button : dialog.findChildren<QPushButton *>())
            save = button->text() == u"Save Server" ? button : save;
        QVERIFY(save);
        save->click();
        QTRY_VERIFY(dialog.isSettled());
        QCOMPARE(SqliteAlertStore(*m_db).smtpServer().value()->caFile, QStringLiteral("/srv/other-ca.pem"));
    }

    void screenshots()
    {
        if (screenshotDir().isEmpty())
            QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
        SqliteAlertStore(*m_db).setSmtpServer(SmtpServer { QStringLiteral("smtp.example.com"), 587,
            SmtpSecurity::StartTls, QStringLiteral("ann"), QStringLiteral("secret"),
            QStringLiteral("faultline@example.com"), QStringLiteral("/etc/ssl/certs/company-ca.pem") });
        shootLightAndDark(
            [&](const ThemedShots &shots) {
                AlertSettingsDialog dialog(
                    *m_storage, ProjectStore(*m_db).all(), 1, [](const AlertRule &, const AlertIssue &) {});
                QTRY_VERIFY(dialog.isSettled());
                dialog.ruleList()->setCurrentRow(0);
                dialog.resize(1000, 700);
                dialog.show();
                QVERIFY(settleLayouts(&dialog));
                QVERIFY(shots.save(QStringLiteral("alert_settings"), dialog.grab()));
            },
            darkPalette());
    }

private:
    UiTestDatabase m_data;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<StorageGateway> m_storage;
    Project m_shop;
};

QTEST_MAIN(TestAlertSettings)
#include "tst_alert_settings.moc"
