#include "ui/tray_icon.h"

#include "ui/app_icon.h"

#include <QFontMetrics>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>

namespace faultline {

namespace {

// Tomorrow at 08:00 local time: "until tomorrow" means the working day, not midnight.
QDateTime tomorrowMorning()
{
    const QDate tomorrow = QDate::currentDate().addDays(1);
    return QDateTime(tomorrow, QTime(8, 0));
}

} // namespace

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
    , m_menu(new QMenu)
{
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    QAction *open = m_menu->addAction(applicationIcon(), tr("&Open Faultline"));
    m_menu->setDefaultAction(open);
    connect(open, &QAction::triggered, this, &TrayIcon::openRequested);
    m_recentSeparator = m_menu->addSection(tr("New issues"));
    m_recentSeparator->setVisible(false);
    m_menu->addSeparator();

    QMenu *pause = m_menu->addMenu(tr("&Pause Notifications"));
    pause->setObjectName(QStringLiteral("trayPauseMenu"));
    connect(pause->addAction(tr("For 1 &Hour")), &QAction::triggered, this,
        [this]() { emit pauseRequested(QDateTime::currentDateTime().addSecs(3600)); });
    connect(pause->addAction(tr("Until &Tomorrow")), &QAction::triggered, this,
        [this]() { emit pauseRequested(tomorrowMorning()); });
    m_pausedUntil = m_menu->addAction(QString());
    m_pausedUntil->setEnabled(false);
    m_pausedUntil->setVisible(false);
    m_resume = m_menu->addAction(tr("&Resume Notifications"));
    m_resume->setVisible(false);
    connect(m_resume, &QAction::triggered, this, [this]() { emit pauseRequested(QDateTime()); });
    m_menu->addSeparator();
    QAction *quit = m_menu->addAction(tr("&Quit Faultline"));
    connect(quit, &QAction::triggered, this, &TrayIcon::quitRequested);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(trayIcon(paletteLooksDark()), this);
        m_tray->setToolTip(tr("Faultline — collecting errors"));
        m_tray->setContextMenu(m_menu);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                emit openRequested();
        });
        m_tray->show();
    }
}

TrayIcon::~TrayIcon()
{
    delete m_tray; // before the menu it shows
    delete m_menu;
}

void TrayIcon::addRecentIssue(const RecentIssue &issue)
{
    m_recent.erase(std::remove_if(m_recent.begin(), m_recent.end(),
                       [&issue](const RecentIssue &known) { return known.id == issue.id; }),
        m_recent.end());
    m_recent.prepend(issue);
    while (m_recent.size() > kRecentIssues)
        m_recent.removeLast();
    rebuildRecent();
}

void TrayIcon::rebuildRecent()
{
    qDeleteAll(m_recentActions);
    m_recentActions.clear();
    m_recentSeparator->setVisible(!m_recent.isEmpty());
    // Inserted after the section heading, newest first.
    const QList<QAction *> actions = m_menu->actions();
    QAction *before = actions.value(actions.indexOf(m_recentSeparator) + 1);
    const QFontMetrics metrics(m_menu->font());
    for (const RecentIssue &issue : m_recent) {
        auto *action = new QAction(metrics.elidedText(issue.title, Qt::ElideRight, 360), m_menu);
        action->setToolTip(issue.title);
        const qint64 id = issue.id;
        connect(action, &QAction::triggered, this, [this, id]() { emit issueRequested(id); });
        m_menu->insertAction(before, action);
        m_recentActions.append(action);
    }
}

void TrayIcon::setPausedUntil(const QDateTime &until)
{
    const bool paused = until.isValid();
    m_pausedUntil->setVisible(paused);
    m_resume->setVisible(paused);
    if (paused)
        m_pausedUntil->setText(tr("Paused until %1").arg(QLocale().toString(until, QLocale::ShortFormat)));
    if (m_tray)
        m_tray->setToolTip(
            paused ? tr("Faultline — collecting; notifications paused") : tr("Faultline — collecting errors"));
}

} // namespace faultline
