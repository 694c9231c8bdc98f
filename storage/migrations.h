#pragma once
// The schema as numbered migrations: migration i (0-based) brings the schema
// from version i to i+1 (`PRAGMA user_version`). Never edit a shipped one;
// append a new one.
#include <QList>

namespace faultline {

// SQL text of each migration, in order.
const QList<const char *> &schemaMigrations();
inline int latestSchemaVersion() { return int(schemaMigrations().size()); }

} // namespace faultline
