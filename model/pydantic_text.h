#pragma once
// Pydantic's ValidationError str(), the only place sentry-python puts the
// errors (the structured list is not sent).
#include "model/event.h"

#include <QList>
#include <QString>

namespace faultline::detail {

// v1: "2 validation errors for Order\nitems -> 0 -> qty\n  msg (type=value_error.x; limit_value=1)"
// v2: "1 validation error for Order\nitems.0.qty\n  Input should be … [type=int_parsing, input_value='x',
// input_type=str]\n
//      For further information visit https://errors.pydantic.dev/…"
// Empty when `text` does not start with the "N validation error(s) for" line.
QList<ValidationIssue> parsePydanticErrors(const QString &text);

} // namespace faultline::detail
