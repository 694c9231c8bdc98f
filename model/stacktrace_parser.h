#pragma once
// The parts of event parsing that deal with stacks: `exception`, `threads`
// and their frames. Used by model/event_parser.cpp only.
#include "model/event.h"
#include "model/json_dom.h"
#include "model/result.h"

#include <QJsonArray>
#include <QList>

namespace faultline::detail {

// What a frame keeps. The collector stores the event as sent and derives only
// what grouping and the search columns need: no surrounding source lines, and
// of the local variables only their count.
enum class FrameDetail { Full, Summary };

// `frames` of a stacktrace; a non-array or a non-object frame is an error at
// `loc` (or `loc` + index). Null/absent frames give an empty list.
QList<Frame> parseFrames(
    const json::Node &frames, const QJsonArray &loc, QList<FieldError> &errors, FrameDetail detail);

Frame parseFrame(const json::Node &frame, FrameDetail detail);

// `exception` as {values: [...]}, a bare list or one bare object (raven-go),
// oldest cause first. A wholly wrong type is ignored; a non-object entry or
// bad frames are errors.
QList<ExceptionValue> parseExceptions(const json::Node &exception, QList<FieldError> &errors, FrameDetail detail);

// The legacy top-level `stacktrace` (raven-js, raven-python with stack=True).
QList<Frame> parseEventStacktrace(const json::Node &stacktrace, QList<FieldError> &errors, FrameDetail detail);

// The stack of the crashed thread, else the current one, else the first one
// that has frames. Threads are informational, so malformed parts are skipped.
QList<Frame> parseThreadFrames(const json::Node &threads, FrameDetail detail);

} // namespace faultline::detail
