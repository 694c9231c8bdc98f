#pragma once
// Desktop notifications for new issues and regressions, through the system
// tray when there is one. Bursts are folded: at most kMaxPerMinute
// notifications a minute; what arrives in between is summed into the next.
// While paused, nothing is shown and nothing is saved up for later.
#include "model/notification_rules.h"
#include "ui/triage/issue_news.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QTimer>

class QSystemTrayIcon;

namespace faultline {

class IssueNotifier : public QObject {
    Q_OBJECT
public:
    // `tray` may be null (no system tray): the notifier still counts and emits shown().
    explicit IssueNotifier(QSystemTrayIcon *tray, QObject *parent = nullptr);

    // `title` and `issueId` name the issue when there is just one; clicking opens it.
    void notify(int newIssues, int regressions, const QString &title = {}, qint64 issueId = 0, int escalations = 0);
    // Notifies about what the rules want of `news` (while not paused); returns what they want,
    // paused or not, for the tray's list of new issues.
    QList<IssueNews> notifyNews(const QList<IssueNews> &news);
    void setRules(NotificationRules rules) { m_rules = std::move(rules); }
    const NotificationRules &rules() const { return m_rules; }
    void setPausedUntil(const QDateTime &until); // invalid = not paused
    bool isPaused() const;
    bool isAvailable() const { return m_tray != nullptr; }
    int shownCount() const { return m_shown; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }

    static constexpr int kMaxPerMinute = 3;

signals:
    void shown(const QString &title, const QString &message);
    void activated(qint64 issueId); // the notification or the tray was clicked; 0 = no one issue

private:
    void flush();

    QSystemTrayIcon *m_tray = nullptr;
    QList<qint64> m_recent; // epoch ms of the last notifications
    QTimer m_pending;
    int m_newIssues = 0;
    int m_regressions = 0;
    int m_escalations = 0;
    QString m_title;
    qint64 m_issueId = 0;
    qint64 m_shownIssueId = 0; // of the notification on screen, for its click
    QDateTime m_pausedUntil;
    NotificationRules m_rules;
    int m_shown = 0;
};

} // namespace faultline
