#include "collector/drop_reason.h"

namespace faultline {

QString dropReason(int status, const QString &error)
{
    switch (status) {
    case 400:
        // invalidEvent() answers an event that broke the protocol; the rest never parsed that far.
        return error.startsWith(QLatin1String("invalid event")) ? QStringLiteral("invalid")
                                                                : QStringLiteral("unparseable");
    case 401:
    case 403:
        return QStringLiteral("wrong_key");
    case 404:
    case 405:
        return QStringLiteral("not_found");
    case 413:
    case 431:
        return QStringLiteral("too_large");
    case 415:
    case 505:
        return QStringLiteral("unparseable");
    case 429:
        // A project's own limit, or the collector as a whole (write queue, buffered bodies).
        if (error.contains(QLatin1String("attachment quota")))
            return QStringLiteral("attachment_quota");
        return error.contains(QLatin1String("rate limit")) ? QStringLiteral("rate_limited")
                                                           : QStringLiteral("queue_full");
    case 507:
        return QStringLiteral("disk_full");
    default:
        break;
    }
    return status >= 500 ? QStringLiteral("not_stored") : QStringLiteral("invalid");
}

} // namespace faultline
