#pragma once
// Running SQL that storage/query_sql.h built (`?` placeholders, QVariant
// values) on a PgConnection: the placeholders numbered, the values bound as
// text parameters.
#include "storage/postgres/pg_connection.h"

#include <QVariantList>

namespace faultline {

PgParams pgParams(const QVariantList &values);

// `sql` with `?` placeholders (query_sql.h's, and the caller's own), run with `values`.
PgResult<PgRows> pgQuery(PgConnection &connection, const QString &sql, const QVariantList &values);

// Bytes of a bytea column as the server sends them in text form ("\x0a1b…").
QByteArray pgByteaFromText(const QByteArray &text);

} // namespace faultline
