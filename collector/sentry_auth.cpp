#include "collector/sentry_auth.h"

#include <QUrl>

namespace faultline {

QString sentryKeyFromAuthHeader(const QByteArray &headerValue)
{
    QByteArray value = headerValue.trimmed();
    if (!value.left(6).toLower().startsWith("sentry"))
        return {};
    value = value.mid(6);
    for (const QByteArray &part : value.split(',')) {
        const QByteArray item = part.trimmed();
        const qsizetype eq = item.indexOf('=');
        if (eq > 0 && item.left(eq).trimmed() == "sentry_key")
            return QString::fromUtf8(item.mid(eq + 1).trimmed());
    }
    return {};
}

QString sentryKeyFromRequest(const HttpRequest &request)
{
    QString key = sentryKeyFromAuthHeader(request.header("X-Sentry-Auth"));
    if (key.isEmpty())
        key = sentryKeyFromAuthHeader(request.header("Authorization"));
    if (key.isEmpty())
        key = request.query.queryItemValue(QStringLiteral("sentry_key"));
    return key;
}

QString sentryKeyFromDsn(const QString &dsn, QString *projectId)
{
    const QUrl url(dsn);
    if (!url.isValid())
        return {};
    if (projectId)
        *projectId = url.path().section(QLatin1Char('/'), -1);
    return url.userName();
}

} // namespace faultline
