#pragma once
// Grouping strategy v1, frozen: the key every issue created before v2 has.
// Kept so an event whose v2 key matches no issue can still find the issue its
// v1 key names (secondary grouping). Never change what it computes.
#include "model/event.h"

#include <QStringList>

namespace faultline::grouping_v1 {

// The components v1 hashed, "v1" first; the issue key is their SHA-1.
QStringList components(const Event &event);

} // namespace faultline::grouping_v1
