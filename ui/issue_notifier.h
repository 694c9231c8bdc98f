#pragma once
// Desktop notifications for new issues and regressions, through the system
// tray when there is one. Bursts are folded: at most kMaxPerMinute
// notifications a minute; what arrives in between is summed into the next.
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QTimer>

class QSystemTrayIcon;

namespace faultline {

class IssueNotifier : public QObject {
    Q_OBJECT
public:
    explicit IssueNotifier(QObject *parent = nullptr);

    // `title` names the issue when there is just one.
    void notify(int newIssues, int regressions, const QString &title = {});
    bool isAvailable() const { return m_tray != nullptr; }
    int shownCount() const { return m_shown; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }

    static constexpr int kMaxPerMinute = 3;

signals:
    void shown(const QString &title, const QString &message);
    void activated();

private:
    void flush();

    QSystemTrayIcon *m_tray = nullptr;
    QList<qint64> m_recent; // epoch ms of the last notifications
    QTimer m_pending;
    int m_newIssues = 0;
    int m_regressions = 0;
    QString m_title;
    int m_shown = 0;
};

} // namespace faultline
