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
        detailArray.append(QJsonObject{{"loc", detail.loc}, {"msg", detail.msg}, {"type", detail.type}});
    HttpResponse response =
        jsonResponse(status, QJsonObject{{"error", error}, {"status_code", status}, {"details", detailArray}});
    response.reason = error;
    return response;
}

}  // namespace faultline
