#pragma once
// The tests of the PostgreSQL backend read single figures back ("SELECT count(*) …").
#include "storage/postgres/pg_connection.h"

#include <QDebug>

namespace faultline::test {

// The first column of the first row of `sql` as a number; -1, with a warning
// saying why, when the statement failed or returned no row.
inline qint64 pgNumber(PgConnection &db, const QString &sql, const PgParams &params = {})
{
    auto rows = db.exec(sql, params);
    if (!rows || rows->rowCount() == 0) {
        qWarning() << (rows ? QStringLiteral("no row") : rows.error().message);
        return -1;
    }
    return rows->int64(0, 0);
}

} // namespace faultline::test
