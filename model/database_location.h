#pragma once
// Which kind of database a `--db` value names: a PostgreSQL connection URI or
// a SQLite file. In the model so everything that passes locations around
// (storage, the app, test support) tells them apart alike.
#include <QString>

namespace faultline {

// The length of its "postgresql://" or "postgres://" (any case, as libpq
// recognises URIs); -1 when it has neither.
qsizetype postgresUriSchemeLength(const QString &text);
// "postgresql://…" or "postgres://…": PostgreSQL; anything else is a SQLite file.
inline bool isPostgresUri(const QString &text) { return postgresUriSchemeLength(text) > 0; }

} // namespace faultline
