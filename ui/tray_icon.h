#pragma once
// The system tray entry of a Faultline that keeps collecting with its window
// closed: the icon, and a menu with Open, the last few new issues, Pause
// notifications and Quit. The menu exists even where the desktop has no tray
// (GNOME without an extension, offscreen), so it can be tested and shown.
#include <QDateTime>
#include <QList>
#include <QObject>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace faultline {

struct RecentIssue {
    qint64 id = 0;
    QString title;
};

class TrayIcon : public QObject {
    Q_OBJECT
public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    QSystemTrayIcon *systemTrayIcon() const { return m_tray; } // null without a tray
    QMenu *menu() const { return m_menu; }
    bool isAvailable() const { return m_tray != nullptr; }

    // Newest first; the menu keeps the last kRecentIssues.
    void addRecentIssue(const RecentIssue &issue);
    QList<RecentIssue> recentIssues() const { return m_recent; }
    // Shown under "Pause notifications" while paused; invalid = not paused.
    void setPausedUntil(const QDateTime &until);

    static constexpr int kRecentIssues = 5;

signals:
    void openRequested();
    void issueRequested(qint64 issueId);
    void pauseRequested(const QDateTime &until); // invalid = resume
    void quitRequested();

private:
    void rebuildRecent();

    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_recentSeparator = nullptr;
    QList<QAction *> m_recentActions;
    QList<RecentIssue> m_recent;
    QAction *m_pausedUntil = nullptr;
    QAction *m_resume = nullptr;
};

} // namespace faultline
