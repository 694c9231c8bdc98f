#pragma once
// The parts of event parsing that deal with stacks: `exception`, `threads`
// and their frames. Used by model/event_parser.cpp only.
#include "model/event.h"
#include "model/json_dom.h"
#include "model/result.h"

#include <QJsonArray>
#include <QList>

namespace faultline::detail {

// Whether frames keep their local variables' values (Frame::vars) or only
// their count: the collector stores the event as sent and needs the count only.
enum class Locals { Keep, CountOnly };

// `frames` of a stacktrace; a non-array or a non-object frame is an error at
// `loc` (or `loc` + index). Null/absent frames give an empty list.
QList<Frame> parseFrames(const json::Node &frames, const QJsonArray &loc, QList<FieldError> &errors, Locals locals);

Frame parseFrame(const json::Node &frame, Locals locals);

// `exception` as {values: [...]} or a bare list, oldest cause first. A wholly
// wrong type is ignored; a non-object entry or bad frames are errors.
QList<ExceptionValue> parseExceptions(const json::Node &exception, QList<FieldError> &errors, Locals locals);

// The stack of the crashed thread, else the current one, else the first one
// that has frames. Threads are informational, so malformed parts are skipped.
QList<Frame> parseThreadFrames(const json::Node &threads, Locals locals);

} // namespace faultline::detail
