#pragma once
// Bounds on how many things one event may hold (tags, breadcrumbs, frames,
// exceptions, extra keys, fingerprint parts), applied before the writer, so
// that no event shape can keep the single writer, its index or retention busy
// for long. Like Relay, an event over a bound is trimmed and kept, not refused;
// what was cut is listed in its `errors` (Sentry's processing errors).
#include "model/json_dom_fwd.h"

#include <QJsonObject>
#include <QStringList>

namespace faultline {

struct EventShapeLimits {
    int maxTags = 200;
    int maxTagChars = 200; // key and value, as Relay's MaxChars::TagKey/TagValue
    int maxBreadcrumbs = 100; // the newest are kept (the SDKs' own default)
    int maxFramesPerStack = 250; // the outermost and innermost halves are kept
    int maxExceptions = 25; // the newest (the primary is last) are kept
    int maxThreads = 50;
    int maxExtraKeys = 200;
    int maxFingerprintParts = 32;
};

// Whether trimEventShape() would change this event: reads counts only.
bool exceedsShapeLimits(const json::Node &event, const EventShapeLimits &limits = {});

// Cuts `event` to the limits; returns one line per cut, e.g. "tags: 600000 > 200".
QStringList trimEventShape(QJsonObject &event, const EventShapeLimits &limits = {});

} // namespace faultline
