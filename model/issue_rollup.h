#pragma once
// What an issue takes from each event it gains: the most severe level any of
// them had, and whether any was unhandled. One rule for every storage
// backend's writer (storage/batch_writer.cpp, storage/postgres/pg_issue_resolver.cpp),
// so an issue reads the same whichever database its events went to.
#include <QString>

namespace faultline {

struct Event;

// An exception the SDK reports as not caught by the application (Sentry's
// mechanism.handled = false): a crash, not a logged error.
bool isUnhandled(const Event &event);

// The more severe of two levels (model/query/query.h's order); `current` on a tie
// or when `arriving` is no level the query language knows.
QString moreSevereLevel(const QString &current, const QString &arriving);

} // namespace faultline
