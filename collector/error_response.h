#pragma once
// The one error shape of the whole app, DRF-style with Pydantic-style details:
// {"error": "...", "status_code": N, "details": [{"loc": [...], "msg": "...", "type": "..."}]}
// Refusals get it through httpAnswer() (collector/ingest_error.h), which picks the status.
#include "collector/http_types.h"
#include "model/result.h"

#include <QJsonArray>
#include <QList>
#include <QString>

namespace faultline {

HttpResponse errorResponse(int status, const QString &error, const QList<FieldError> &details = {});
HttpResponse jsonResponse(int status, const QJsonObject &body);

// The same errors, located under `prefix` (e.g. ["items", 2] for an envelope item).
QList<FieldError> prefixed(const QList<FieldError> &errors, const QJsonArray &prefix);

} // namespace faultline
