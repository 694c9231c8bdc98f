#pragma once
// Running SQL that storage/query_sql.h built (`?` placeholders, QVariant
// values) on a PgConnection: the placeholders numbered, the values bound as
// text parameters.
#include "storage/postgres/pg_connection.h"
#include "storage/query_sql.h"

#include <QVariantList>

namespace faultline {

PgParams pgParams(const QVariantList &values);

// `sql` with `?` placeholders (query_sql.h's, and the caller's own), run with `values`.
PgResult<PgRows> pgQuery(PgConnection &connection, const QString &sql, const QVariantList &values);

// issueFilterSql() for PostgreSQL, its free-text terms that most titles hold asked of the server first
// (pgBroadTextSql(): a sample of a few hundred titles, a fraction of a millisecond).
PgResult<SqlFilter> pgIssueFilter(PgConnection &connection, const Query &query, qint64 nowMs);

// Bytes of a bytea column as the server sends them in text form ("\x0a1b…").
QByteArray pgByteaFromText(const QByteArray &text);

} // namespace faultline
