#pragma once
// The parts of event parsing that deal with stacks: `exception`, `threads`
// and their frames. Used by model/event_parser.cpp only.
#include "model/event.h"
#include "model/result.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QList>

namespace faultline::detail {

// `frames` of a stacktrace; a non-array or a non-object frame is an error at
// `loc` (or `loc` + index). Null/absent frames give an empty list.
QList<Frame> parseFrames(const QJsonValue &frames, const QJsonArray &loc, QList<FieldError> &errors);

Frame parseFrame(const QJsonObject &frame);

// `exception` as {values: [...]} or a bare list, oldest cause first. A wholly
// wrong type is ignored; a non-object entry or bad frames are errors.
QList<ExceptionValue> parseExceptions(const QJsonValue &exception, QList<FieldError> &errors);

// The stack of the crashed thread, else the current one, else the first one
// that has frames. Threads are informational, so malformed parts are skipped.
QList<Frame> parseThreadFrames(const QJsonValue &threads);

} // namespace faultline::detail
