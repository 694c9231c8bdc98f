#pragma once
// Connection strings for the PostgreSQL backend (#18): how one is written to
// a log, and where it points (which `--db` values name PostgreSQL:
// model/database_location.h). libpq itself parses them (PQconnectdb): URIs,
// key=value strings and whatever PG* variables and service files add.
#include "model/database_location.h"

#include <QString>

namespace faultline {

// The connection string with every password replaced by "***": the userinfo
// password of a URI ("user:secret@"), `password` and `sslpassword` query
// parameters, and the same keywords of a key=value string. What the logs,
// error messages and dialogs show; never the string given to libpq.
QString connectionStringForLog(const QString &text);

// Where a connection string points, for a sentence: "db.example.com:5433/faultline",
// "faultline on the local socket"; libpq's defaults (PG* variables) when it says nothing.
QString postgresServerName(const QString &text);

} // namespace faultline
