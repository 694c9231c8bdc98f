#include "ui/triage/http_status.h"

namespace faultline {

QColor httpStatusColor(int statusCode)
{
    switch (statusCode / 100) {
    case 2:
        return QColor(0x2e, 0x7d, 0x32);
    case 3:
        return QColor(0x1e, 0x88, 0xe5);
    case 4:
        return QColor(0xef, 0x6c, 0x00);
    case 5:
        return QColor(0xd3, 0x2f, 0x2f);
    default:
        return QColor(0x9e, 0x9e, 0x9e);
    }
}

QString httpReasonPhrase(int statusCode)
{
    switch (statusCode) {
    case 200:
        return QStringLiteral("OK");
    case 201:
        return QStringLiteral("Created");
    case 204:
        return QStringLiteral("No Content");
    case 301:
        return QStringLiteral("Moved Permanently");
    case 302:
        return QStringLiteral("Found");
    case 304:
        return QStringLiteral("Not Modified");
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 409:
        return QStringLiteral("Conflict");
    case 410:
        return QStringLiteral("Gone");
    case 413:
        return QStringLiteral("Content Too Large");
    case 422:
        return QStringLiteral("Unprocessable Content");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 501:
        return QStringLiteral("Not Implemented");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return {};
    }
}

} // namespace faultline
