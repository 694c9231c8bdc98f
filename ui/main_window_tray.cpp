// MainWindow's life in the background: the tray, closing to it while this
// process collects, the explicit Quit, and coming back to the front.
#include "ui/main_window.h"

#include "storage/storage_gateway.h"

#include "ui/app_icon.h"
#include "ui/app_settings.h"
#include "ui/faultline_link.h"
#include "ui/issue_notifier.h"
#include "ui/settings_storage.h"
#include "ui/tray_icon.h"

#include <QCloseEvent>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {
const QString kBackgroundHintShownKey = QStringLiteral("desktop/backgroundHintShown");
const QString kNotificationsPausedUntilKey = QStringLiteral("notifications/pausedUntil");
} // namespace

void MainWindow::setUpTray()
{
    setWindowIcon(applicationIcon());
    m_tray = new TrayIcon(this);
    m_notifier = new IssueNotifier(m_tray->systemTrayIcon(), this);
    // Read on the gateway's reader before any live refresh is posted there: the rules are in
    // before the first news they judge (the reader answers in order).
    // (On PostgreSQL they are this desktop's own and come from its settings: ui/settings_storage.h.)
    readNotificationRules(*m_context.storage, this, [this](const StorageResult<QString> &rules) {
        if (rules)
            m_notifier->setRules(NotificationRules::fromJson(*rules));
    });
    const QDateTime pausedUntil = QSettings().value(kNotificationsPausedUntilKey).toDateTime();
    if (pausedUntil > QDateTime::currentDateTime()) {
        m_notifier->setPausedUntil(pausedUntil);
        m_tray->setPausedUntil(pausedUntil);
    }

    connect(m_notifier, &IssueNotifier::activated, this, [this](qint64 issueId) {
        bringToFront();
        if (issueId > 0)
            openIssue(issueId);
    });
    connect(m_tray, &TrayIcon::openRequested, this, &MainWindow::bringToFront);
    connect(m_tray, &TrayIcon::issueRequested, this, [this](qint64 issueId) {
        bringToFront();
        showIssues();
        openIssue(issueId);
    });
    connect(m_tray, &TrayIcon::pauseRequested, this, [this](const QDateTime &until) {
        m_notifier->setPausedUntil(until);
        m_tray->setPausedUntil(until);
        QSettings settings;
        if (until.isValid())
            settings.setValue(kNotificationsPausedUntilKey, until);
        else
            settings.remove(kNotificationsPausedUntilKey);
    });
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
}

bool MainWindow::closesToBackground() const
{
    return m_context.collectsInProcess && !m_quitting && AppSettings::load().keepCollectingWhenClosed;
}

void MainWindow::quit()
{
    m_quitting = true;
    close();
}

void MainWindow::bringToFront()
{
    if (isMinimized())
        showNormal();
    else
        show();
    raise();
    activateWindow();
}

void MainWindow::activate(const QStringList &arguments)
{
    bringToFront();
    for (const QString &argument : arguments)
        if (const std::optional<qint64> issueId = issueIdFromLink(argument)) {
            showIssues();
            openIssue(*issueId).then(this, [this, id = *issueId, argument](bool opened) {
                if (opened)
                    spdlog::info("opened issue {} for {}", id, argument.toStdString());
                else
                    statusBar()->showMessage(tr("There is no issue %1 in this database.").arg(id), 8000);
            });
        }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (closesToBackground()) {
        event->ignore();
        hide();
        tellOnceAboutBackground();
        emit hiddenToBackground();
        return;
    }
    QMainWindow::closeEvent(event);
    emit quitRequested();
}

// Services keep reporting while the window is away; say so once, where the user looks.
void MainWindow::tellOnceAboutBackground()
{
    QSettings settings;
    if (settings.value(kBackgroundHintShownKey, false).toBool())
        return;
    settings.setValue(kBackgroundHintShownKey, true);
    const QString title = tr("Faultline keeps collecting");
    if (m_tray && m_tray->systemTrayIcon()) {
        m_tray->systemTrayIcon()->showMessage(title,
            tr("Services can still report errors. Open the window or quit from the tray icon; "
               "Settings can make closing quit instead."),
            applicationIcon(), 10000);
        return;
    }
    // No tray to come back through (e.g. GNOME without an extension): launching Faultline again does it.
    auto *box = new QMessageBox(QMessageBox::Information, title,
        tr("Services can still report errors while the window is closed. Start Faultline again to get the "
           "window back; use File → Quit (Ctrl+Q) to stop collecting. Settings can make closing quit instead."),
        QMessageBox::Ok);
    box->setObjectName(QStringLiteral("backgroundHint"));
    box->setWindowIcon(applicationIcon());
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
}

} // namespace faultline
