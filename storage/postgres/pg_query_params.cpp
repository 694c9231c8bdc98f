#include "storage/postgres/pg_query_params.h"

namespace faultline {

PgParams pgParams(const QVariantList &values)
{
    PgParams params;
    params.reserve(values.size());
    for (const QVariant &value : values) {
        if (value.isNull())
            params.push_back(PgParam::null());
        else if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Int)
            params.push_back(PgParam::integer(value.toLongLong()));
        else
            params.push_back(PgParam::text(value.toString()));
    }
    return params;
}

PgResult<PgRows> pgQuery(PgConnection &connection, const QString &sql, const QVariantList &values)
{
    return connection.exec(pgPlaceholders(sql), pgParams(values));
}

PgResult<SqlFilter> pgIssueFilter(PgConnection &connection, const Query &query, qint64 nowMs)
{
    const SqlFilter breadth = pgBroadTextSql(query);
    QList<bool> broadTexts;
    if (!breadth.where.isEmpty()) {
        const auto rows = pgQuery(connection, breadth.where, breadth.values);
        if (!rows)
            return rows.error();
        for (int term = 0; term < query.terms.size(); ++term)
            broadTexts.append(rows->boolean(0, term));
    }
    return issueFilterSql(query, nowMs, SqlDialect::Postgres, broadTexts);
}

QByteArray pgByteaFromText(const QByteArray &text)
{
    // bytea_output = hex, PostgreSQL's default since 9.0.
    return text.startsWith("\\x") ? QByteArray::fromHex(text.mid(2)) : text;
}

} // namespace faultline
