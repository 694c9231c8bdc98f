#pragma once
// Parses JSON text that must be an object, reporting errors in the FieldError shape.
#include "model/json_dom_fwd.h"
#include "model/result.h"

#include <QByteArray>
#include <QJsonObject>

namespace faultline {

// Errors: loc [] with type "json_invalid" (syntax, invalid UTF-8, too deep) or
// "type_error.object" (valid JSON that is not an object). `what` names the
// document in messages ("event", "envelope header").
Result<QJsonObject> parseJsonObject(const QByteArray &json, const QString &what = QStringLiteral("body"));

// The same contract, parsed with simdjson for reading (json_dom.h). What
// simdjson refuses is handed to Qt's parser, which names the error or, for
// JSON Qt reads and simdjson does not (integers beyond 64 bits, lone UTF-16
// surrogates), normalises it.
Result<json::Document> parseJsonDocument(const QByteArray &json, const QString &what = QStringLiteral("body"));

} // namespace faultline
