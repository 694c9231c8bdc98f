#pragma once
// The one error shape of the whole app, DRF-style with Pydantic-style details:
// {"error": "...", "status_code": N, "details": [{"loc": [...], "msg": "...", "type": "..."}]}
#include "collector/http_types.h"
#include "model/result.h"

#include <QList>
#include <QString>

namespace faultline {

HttpResponse errorResponse(int status, const QString &error, const QList<FieldError> &details = {});
HttpResponse jsonResponse(int status, const QJsonObject &body);

}  // namespace faultline
