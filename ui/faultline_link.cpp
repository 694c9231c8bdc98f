#include "ui/faultline_link.h"

#include <QUrl>

namespace faultline {

std::optional<qint64> issueIdFromLink(const QString &link)
{
    const QUrl url(link.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("faultline") || url.host() != QLatin1String("issue"))
        return std::nullopt;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    bool ok = false;
    const qint64 id = path.mid(1).toLongLong(&ok);
    if (!ok || id <= 0 || !path.startsWith(u'/'))
        return std::nullopt;
    return id;
}

QString issueLink(qint64 issueId) { return QStringLiteral("faultline://issue/%1").arg(issueId); }

} // namespace faultline
