#pragma once
// Recognises validation failures and the HTTP outcome inside an event.
#include "model/event.h"

#include <QList>
#include <QStringList>

namespace faultline {

// Pydantic v1 text ("2 validation errors for Model\nfield\n  msg (type=value_error.x)"),
// Pydantic v2 text ("field\n  Msg [type=x, input_value=…, input_type=str]"),
// structured lists in extra/contexts (`validation_errors`, `errors`), and DRF
// ValidationError details ({"field": ["msg"]}) in the exception value / extra / request.
QList<ValidationIssue> extractValidationErrors(const Event &event);
// The same, with the event's HTTP outcome already extracted.
QList<ValidationIssue> extractValidationErrors(const Event &event, const HttpOutcome &http);

// HTTP status and error body from contexts.response, tags http.status_code /
// status_code, or top-level `response` / plain-endpoint fields.
HttpOutcome extractHttpOutcome(const Event &event);

// The top-level members of Event::raw that the functions above read (besides
// the parsed fields): a summary parse keeps only these.
const QStringList &membersReadFromRaw();

} // namespace faultline
