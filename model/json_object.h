#pragma once
// Parses JSON text that must be an object, reporting errors in the FieldError shape.
#include "model/result.h"

#include <QByteArray>
#include <QJsonObject>

namespace faultline {

// Errors: loc [] with type "json_invalid" (syntax, invalid UTF-8, too deep) or
// "type_error.object" (valid JSON that is not an object). `what` names the
// document in messages ("event", "envelope header").
Result<QJsonObject> parseJsonObject(const QByteArray &json, const QString &what = QStringLiteral("body"));

}  // namespace faultline
