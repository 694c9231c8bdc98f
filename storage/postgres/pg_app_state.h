#pragma once
// app_state on PostgreSQL (#18): facts the collectors publish for the other
// processes on the database (storage/app_state.h has SQLite's).
#include "storage/postgres/pg_connection.h"

#include <QString>

namespace faultline {

// Stores `value` under `key` unless a value is there already (collectors
// starting together: the first one's stays). False and *error on a database error.
bool pgAppStateDefault(PgConnection &connection, const QString &key, const QString &value, QString *error);

} // namespace faultline
