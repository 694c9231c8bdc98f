#pragma once
// Which frames are the application's own code. Grouping (v2) counts only
// those, the culprit names the nearest one, and the stack view highlights them.
#include "model/event.h"

#include <QString>

namespace faultline {

// Why `frame` is not app code ("standard library", "installed package", …),
// or an empty string when it is. The SDK's in_app flag decides, except for
// paths that are never the user's code whatever the flag says: sentry-python
// 1.x marks every frame in_app unless told the project root, raven-js marks
// bundled node_modules in_app, and so on.
QString notAppCodeReason(const Frame &frame);

inline bool isInApp(const Frame &frame) { return notAppCodeReason(frame).isEmpty(); }

} // namespace faultline
