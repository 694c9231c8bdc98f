#include "ui/issue_notifier.h"

#include "ui/app_icon.h"
#include "ui/triage/plural.h"

#include <QSystemTrayIcon>

#include <utility>

namespace faultline {

IssueNotifier::IssueNotifier(QSystemTrayIcon *tray, QObject *parent)
    : QObject(parent)
    , m_tray(tray)
{
    if (m_tray)
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this]() { emit activated(m_shownIssueId); });
    m_pending.setSingleShot(true);
    connect(&m_pending, &QTimer::timeout, this, &IssueNotifier::flush);
}

void IssueNotifier::setPausedUntil(const QDateTime &until)
{
    m_pausedUntil = until;
    if (isPaused()) { // what is waiting would arrive as a burst right after the pause
        m_pending.stop();
        m_newIssues = 0;
        m_regressions = 0;
        m_escalations = 0;
    }
}

bool IssueNotifier::isPaused() const { return m_pausedUntil.isValid() && QDateTime::currentDateTime() < m_pausedUntil; }

QList<IssueNews> IssueNotifier::notifyNews(const QList<IssueNews> &news)
{
    QList<IssueNews> wanted;
    int counts[3] = { 0, 0, 0 };
    for (const IssueNews &item : news) {
        if (!m_rules.wants(item.issue, item.trigger))
            continue;
        wanted.append(item);
        ++counts[int(item.trigger)];
    }
    if (!wanted.isEmpty())
        notify(counts[int(AlertTrigger::NewIssue)], counts[int(AlertTrigger::Regression)], wanted.first().issue.title,
            wanted.first().issue.issueId, counts[int(AlertTrigger::Escalation)]);
    return wanted;
}

void IssueNotifier::notify(int newIssues, int regressions, const QString &title, qint64 issueId, int escalations)
{
    if (newIssues <= 0 && regressions <= 0 && escalations <= 0)
        return;
    if (isPaused())
        return;
    const int waiting = m_newIssues + m_regressions + m_escalations;
    const bool single = waiting == 0 && newIssues + regressions + escalations == 1;
    m_title = single ? title : QString();
    m_issueId = single ? issueId : 0;
    m_newIssues += newIssues;
    m_regressions += regressions;
    m_escalations += escalations;
    if (!m_pending.isActive())
        flush();
}

void IssueNotifier::flush()
{
    if (m_newIssues <= 0 && m_regressions <= 0 && m_escalations <= 0)
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
    if (m_escalations > 0)
        parts.append(countText(m_escalations, "%1 escalating issue", "%1 escalating issues"));
    const QString heading = parts.join(QStringLiteral(", "));
    const QString body = m_title.isEmpty() ? tr("Open Faultline to triage.") : m_title;
    m_newIssues = 0;
    m_regressions = 0;
    m_escalations = 0;
    m_title.clear();
    m_shownIssueId = std::exchange(m_issueId, 0);
    ++m_shown;
    if (m_tray)
        m_tray->showMessage(heading, body, applicationIcon(), 8000);
    emit shown(heading, body);
}

} // namespace faultline
