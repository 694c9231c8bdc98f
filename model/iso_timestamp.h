#pragma once
// RFC 3339 / ISO 8601 timestamps as SDKs send them ("2024-01-02T03:04:05.123456Z",
// "+02:00" or "-0500" offsets, no zone = UTC, date only), to Unix seconds.
// Hand-written: it runs for every event and breadcrumb, and a regex plus
// QDateTime cost a couple of microseconds each time.
#include <QStringView>

#include <optional>

namespace faultline {

std::optional<double> parseIsoTimestamp(QStringView text);

} // namespace faultline
