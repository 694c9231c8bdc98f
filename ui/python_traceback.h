#pragma once
// The "raw" view of an exception chain: the traceback as the runtime itself
// would print it, so it can be pasted into a bug report or a search engine.
#include "model/event.h"

#include <QString>

namespace faultline {

// Python's format ("Traceback (most recent call last): …") for python events,
// V8's ("Error: boom\n    at f (file:1:2)") for JavaScript/Node events.
QString formatTraceback(const Event &event);

QString formatPythonTraceback(const QList<ExceptionValue> &chain);
QString formatJavaScriptStack(const QList<ExceptionValue> &chain);

} // namespace faultline
