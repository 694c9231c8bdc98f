#include "collector/error_response.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

HttpResponse jsonResponse(int status, const QJsonObject &body)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse errorResponse(int status, const QString &error, const QList<FieldError> &details)
{
    QJsonArray detailArray;
    for (const FieldError &detail : details)
        detailArray.append(QJsonObject { { "loc", detail.loc }, { "msg", detail.msg }, { "type", detail.type } });
    HttpResponse response = jsonResponse(
        status, QJsonObject { { "error", error }, { "status_code", status }, { "details", detailArray } });
    response.reason = error;
    return response;
}

HttpResponse tooLarge(const QString &what, qint64 size, qint64 limit)
{
    return errorResponse(
        413, QStringLiteral("%1 of %2 bytes exceeds the %3 byte limit").arg(what).arg(size).arg(limit));
}

HttpResponse invalidEvent(const QList<FieldError> &errors)
{
    const QString first = errors.isEmpty() ? QString() : errors.first().msg;
    return errorResponse(400, QStringLiteral("invalid event: %1").arg(first), errors);
}

HttpResponse withBackOff(HttpResponse response, int seconds, const QByteArray &categories, const QByteArray &scope)
{
    const QByteArray retryAfter = QByteArray::number(seconds);
    return response.withHeader("Retry-After", retryAfter)
        .withHeader("X-Sentry-Rate-Limits", retryAfter + ':' + categories + ':' + scope);
}

QList<FieldError> prefixed(const QList<FieldError> &errors, const QJsonArray &prefix)
{
    QList<FieldError> result;
    for (FieldError error : errors) {
        QJsonArray loc = prefix;
        for (const QJsonValue &part : error.loc)
            loc.append(part);
        error.loc = loc;
        result.append(error);
    }
    return result;
}

} // namespace faultline
