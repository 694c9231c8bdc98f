#pragma once
// The one error shape of the whole app, DRF-style with Pydantic-style details:
// {"error": "...", "status_code": N, "details": [{"loc": [...], "msg": "...", "type": "..."}]}
#include "collector/http_types.h"
#include "model/result.h"

#include <QJsonArray>
#include <QList>
#include <QString>

namespace faultline {

HttpResponse errorResponse(int status, const QString &error, const QList<FieldError> &details = {});
HttpResponse jsonResponse(int status, const QJsonObject &body);

// 413 naming what was too large, its size and the limit.
HttpResponse tooLarge(const QString &what, qint64 size, qint64 limit);
// 400 for an event that does not parse or validate, every field error in `details`.
HttpResponse invalidEvent(const QList<FieldError> &errors);
// Back-off headers: `Retry-After`, and `X-Sentry-Rate-Limits`, which Sentry SDKs
// honour by not sending `categories` (";"-separated, empty = all) for `seconds`.
HttpResponse withBackOff(HttpResponse response, int seconds, const QByteArray &categories, const QByteArray &scope);
// The same errors, located under `prefix` (e.g. ["items", 2] for an envelope item).
QList<FieldError> prefixed(const QList<FieldError> &errors, const QJsonArray &prefix);

} // namespace faultline
