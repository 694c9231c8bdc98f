#pragma once
// Human times for the issue list and the detail header ("3 min ago").
#include <QString>
#include <QtGlobal>

namespace faultline {

// `thenMs` relative to `nowMs` (both epoch milliseconds); future times read as "just now".
QString relativeTime(qint64 thenMs, qint64 nowMs);
// Local date and time with seconds, for tooltips and the detail header.
QString absoluteTime(qint64 epochMs);

} // namespace faultline
