#pragma once
// Grouping strategy v2, after Sentry's current one:
//  - an SDK fingerprint wins ({{ default }} splices the default in);
//  - exceptions: every exception of the chain by its module-qualified type and
//    its stack's app frames (module, function, context line; never line
//    numbers); the value counts, normalised, only where no frame does; a
//    synthetic exception (captureMessage, captureException("text")) counts by
//    its stack only;
//  - else a thread's stack by its frames;
//  - else the message (logentry template first), normalised;
// Frames: only app code counts; when the SDK marked none, all frames count.
#include "model/event.h"
#include "model/grouping_explanation.h"

namespace faultline::grouping_v2 {

inline const QString strategyName = QStringLiteral("v2");

GroupingExplanation explain(const Event &event);

// What the key is the SHA-1 of: explain(event).hashedComponents() joined by '\n',
// worked out without the explanation (the collector needs only the key).
QString hashedText(const Event &event);

} // namespace faultline::grouping_v2
