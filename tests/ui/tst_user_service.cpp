// Issue 17: Settings' toggle for the systemd user unit. systemctl is replaced
// by a recorder (this machine has no user manager), so the test checks what
// would run and what the dialog shows for each answer systemctl gives.
#include "dialog_waits.h"

#include "storage/database.h"
#include "storage/storage_gateway.h"
#include "ui/app_settings.h"
#include "ui/settings_dialog.h"
#include "ui/user_service.h"

#include <QApplication>
#include <QCheckBox>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace faultline;
using namespace faultline::test;

namespace {

// Answers systemctl the way a session with (or without) a user manager does, and records the calls.
struct FakeSystemctl {
    bool managerRuns = true;
    QString unitState = QStringLiteral("disabled"); // "" = not installed
    std::shared_ptr<QList<QStringList>> calls = std::make_shared<QList<QStringList>>();

    SystemctlRunner runner() const
    {
        return [fake = *this](const QStringList &arguments) {
            fake.calls->append(arguments);
            if (arguments.value(1) == QLatin1String("show-environment"))
                return fake.managerRuns
                    ? CommandResult { 0, QStringLiteral("HOME=/home/ann") }
                    : CommandResult { 1, QStringLiteral("Failed to connect to bus: No medium found") };
            if (arguments.value(1) == QLatin1String("is-enabled"))
                return fake.unitState.isEmpty()
                    ? CommandResult { 1,
                          QStringLiteral("Failed to get unit file state for faultline-collector.service: "
                                         "No such file or directory") }
                    : CommandResult { fake.unitState == QLatin1String("enabled") ? 0 : 1, fake.unitState };
            return CommandResult { 0, QString() };
        };
    }
};

const QStringList kEnableNow { "--user", "enable", "--now", "faultline-collector.service" };

} // namespace

class TestUserService : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<StorageGateway> m_storage;

    std::unique_ptr<SettingsDialog> dialogWith(const FakeSystemctl &fake, bool collects = false)
    {
        auto dialog = std::make_unique<SettingsDialog>(*m_storage, QList<Project>(), 0, QApplication::palette());
        dialog->setThisProcessCollects(collects);
        dialog->setUserService(UserService(fake.runner()));
        return dialog;
    }

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("faultline-ui-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_user_service"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings().clear();
        const QString path = m_dir.filePath(QStringLiteral("settings.db"));
        QVERIFY(Database::open(path, Database::Mode::ReadWrite, nullptr));
        m_storage = std::make_unique<StorageGateway>(path);
    }

    void withoutAUserManagerTheToggleSaysWhy()
    {
        FakeSystemctl fake;
        fake.managerRuns = false;
        const UserServiceState state = UserService(fake.runner()).probe();
        QVERIFY(!state.available);
        QVERIFY(state.unavailableReason.contains(QStringLiteral("No systemd user manager")));
        QVERIFY(state.unavailableReason.contains(QStringLiteral("No medium found")));

        auto dialog = dialogWith(fake);
        QTRY_VERIFY(!dialog->isProbingUserService());
        QTRY_VERIFY(dialog->userServiceNote().startsWith(QStringLiteral("Not available: No systemd user manager")));
        QVERIFY(!dialog->userServiceCheck()->isEnabled());
        QVERIFY(applySettings(*dialog)); // nothing to change, nothing run
        for (const QStringList &call : *fake.calls)
            QCOMPARE(call.value(1), QStringLiteral("show-environment"));

        const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            dialog->resize(560, dialog->sizeHint().height());
            dialog->show();
            QVERIFY(dialog->grab().save(dir + QStringLiteral("/settings_user_service_unavailable.png")));
        }
    }

    void aMissingUnitIsNamed()
    {
        FakeSystemctl fake;
        fake.unitState.clear();
        const UserServiceState state = UserService(fake.runner()).probe();
        QVERIFY(!state.available);
        QVERIFY(state.unavailableReason.contains(QStringLiteral("faultline-collector.service is not installed")));
    }

    void enablingRunsSystemctlEnableNow()
    {
        FakeSystemctl fake;
        auto dialog = dialogWith(fake);
        QTRY_VERIFY(dialog->userServiceCheck()->isEnabled());
        QVERIFY(!dialog->userServiceCheck()->isChecked());
        dialog->userServiceCheck()->setChecked(true);
        QVERIFY(applySettings(*dialog));
        QCOMPARE(fake.calls->last(), kEnableNow);
        const qsizetype calls = fake.calls->size();
        QVERIFY(applySettings(*dialog)); // already done: not again
        QCOMPARE(fake.calls->size(), calls);
    }

    void whileThisWindowCollectsTheServiceWaitsForTheNextLogin()
    {
        FakeSystemctl fake;
        auto dialog = dialogWith(fake, true);
        QTRY_VERIFY(dialog->userServiceCheck()->isEnabled());
        QVERIFY(dialog->userServiceNote().contains(QStringLiteral("next login")));
        dialog->userServiceCheck()->setChecked(true);
        QVERIFY(applySettings(*dialog));
        QCOMPARE(fake.calls->last(), (QStringList { "--user", "enable", "faultline-collector.service" }));
    }

    void disablingStopsIt()
    {
        FakeSystemctl fake;
        fake.unitState = QStringLiteral("enabled");
        auto dialog = dialogWith(fake);
        QTRY_VERIFY(dialog->userServiceCheck()->isEnabled());
        QVERIFY(dialog->userServiceCheck()->isChecked());
        dialog->userServiceCheck()->setChecked(false);
        QVERIFY(applySettings(*dialog));
        QCOMPARE(fake.calls->last(), (QStringList { "--user", "disable", "--now", "faultline-collector.service" }));
    }

    void aFailureIsShownAndNothingElseIsStored()
    {
        const UserService failing([](const QStringList &arguments) {
            if (arguments.value(1) == QLatin1String("show-environment"))
                return CommandResult { 0, QString() };
            if (arguments.value(1) == QLatin1String("is-enabled"))
                return CommandResult { 1, QStringLiteral("disabled") };
            return CommandResult { 1, QStringLiteral("Access denied") };
        });
        QCOMPARE(failing.setEnabled(true, false),
            QStringLiteral("systemctl --user enable --now faultline-collector.service failed: Access denied"));
    }
};

QTEST_MAIN(TestUserService)
#include "tst_user_service.moc"
