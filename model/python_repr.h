#pragma once
// Reads the repr() of Python literals as SDKs embed them in exception values,
// e.g. DRF's "{'email': [ErrorDetail(string='Enter a valid email address.', code='invalid')]}".
#include <QJsonValue>
#include <QString>

#include <optional>

namespace faultline::detail {

// dict -> object (keys as text), list/tuple/set -> array, str -> string,
// int/float -> number, None/True/False -> null/bool, a call like
// Name(a=1, 'x') -> {"__call__": "Name", "a": 1, "0": "x"}; other bare names -> string.
// nullopt when the text is not one complete literal.
std::optional<QJsonValue> parsePythonRepr(const QString &text);

} // namespace faultline::detail
