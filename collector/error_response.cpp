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
