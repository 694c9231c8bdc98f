#include "ui/issue_notifier.h"

#include "ui/plural.h"

#include <QApplication>
#include <QStyle>
#include <QSystemTrayIcon>

namespace faultline {

IssueNotifier::IssueNotifier(QObject *parent)
    : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning), this);
        m_tray->setToolTip(tr("Faultline"));
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &IssueNotifier::activated);
        connect(m_tray, &QSystemTrayIcon::activated, this, &IssueNotifier::activated);
    }
    m_pending.setSingleShot(true);
    connect(&m_pending, &QTimer::timeout, this, &IssueNotifier::flush);
}

void IssueNotifier::notify(int newIssues, int regressions, const QString &title)
{
    if (newIssues <= 0 && regressions <= 0)
        return;
    m_title = m_newIssues + m_regressions == 0 && newIssues + regressions == 1 ? title : QString();
    m_newIssues += newIssues;
    m_regressions += regressions;
    if (!m_pending.isActive())
        flush();
}

void IssueNotifier::flush()
{
    if (m_newIssues <= 0 && m_regressions <= 0)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (!m_recent.isEmpty() && now - m_recent.first() >= 60'000)
        m_recent.removeFirst();
    if (m_recent.size() >= kMaxPerMinute) {
        m_pending.start(int(60'000 - (now - m_recent.first())) + 10);
        return;
    }
    m_recent.append(now);

    QStringList parts;
    if (m_newIssues > 0)
        parts.append(countText(m_newIssues, "%1 new issue", "%1 new issues"));
    if (m_regressions > 0)
        parts.append(countText(m_regressions, "%1 regression", "%1 regressions"));
    const QString heading = parts.join(QStringLiteral(", "));
    const QString body = m_title.isEmpty() ? tr("Open Faultline to triage.") : m_title;
    m_newIssues = 0;
    m_regressions = 0;
    m_title.clear();
    ++m_shown;
    if (m_tray)
        m_tray->showMessage(heading, body, QSystemTrayIcon::Warning, 8000);
    emit shown(heading, body);
}

} // namespace faultline
