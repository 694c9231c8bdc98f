#pragma once
// Multi-row statements with bound parameters: "INSERT … VALUES ($1, $2), ($3, $4) …"
// built for the number of rows at hand and split where PostgreSQL's limit of
// 65,535 parameters per statement would be passed. Group commit writes a
// whole batch in a few of these instead of a round trip per row.
#include "storage/postgres/pg_connection.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace faultline {

class PgRowsStatement {
public:
    // `head` and `tail` surround the VALUES list: "INSERT INTO t(a, b) VALUES"
    // and " ON CONFLICT DO NOTHING RETURNING a". `casts` (one per column, may
    // be empty) type the first row's parameters where nothing else does, as
    // in a VALUES list joined to a table: "::bigint".
    PgRowsStatement(QString head, QString tail, int columns, QStringList casts = {});

    void addRow(PgParams row); // `columns` parameters
    bool isEmpty() const { return m_params.empty(); }
    int rowCount() const { return int(m_params.size()) / m_columns; }

    // Runs it, in as many statements as the parameter limit needs; the rows
    // each one returned, in order.
    PgResult<QList<PgRows>> exec(PgConnection &connection) const;

private:
    QString sql(int rows) const;

    QString m_head;
    QString m_tail;
    int m_columns;
    QStringList m_casts;
    PgParams m_params;
};

// "{1,2,3}": integers as one array parameter ("= ANY($1::bigint[])").
PgParam pgIntegerArray(const QList<qint64> &values);
// The same for text ("= ANY($1::text[])"), every element quoted.
PgParam pgTextArray(const QStringList &values);

} // namespace faultline
