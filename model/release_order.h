#pragma once
// Which of two release names is newer, for "resolve in next release". Sentry
// orders by semver when both parse and by first-seen time otherwise; an
// event carries only the name, so this compares names the way people number
// releases: an optional "package@" prefix, then numbers compared as numbers
// and the rest as text ("1.10.0" > "1.9.2", "api@2.0" > "api@1.9"). A
// pre-release ("1.2.0-rc1") comes before its release ("1.2.0"), as in semver.
#include <QString>

namespace faultline {

// < 0 when a is older than b, 0 when they are the same release, > 0 when newer.
int compareReleases(const QString &a, const QString &b);

} // namespace faultline
