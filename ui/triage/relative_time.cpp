#include "ui/triage/relative_time.h"

#include <QDateTime>

namespace faultline {

QString relativeTime(qint64 thenMs, qint64 nowMs)
{
    if (thenMs <= 0)
        return QStringLiteral("—");
    const qint64 seconds = qMax<qint64>(0, (nowMs - thenMs) / 1000);
    if (seconds < 10)
        return QStringLiteral("just now");
    if (seconds < 60)
        return QStringLiteral("%1 s ago").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min ago").arg(seconds / 60);
    if (seconds < 86400)
        return QStringLiteral("%1 h ago").arg(seconds / 3600);
    if (seconds < 86400 * 30)
        return QStringLiteral("%1 d ago").arg(seconds / 86400);
    if (seconds < 86400 * 365)
        return QStringLiteral("%1 mo ago").arg(seconds / (86400 * 30));
    return QStringLiteral("%1 y ago").arg(seconds / (86400 * 365));
}

QString absoluteTime(qint64 epochMs)
{
    if (epochMs <= 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(epochMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace faultline
