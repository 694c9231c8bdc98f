#include "storage/postgres/pg_rows_statement.h"

#include <QStringList>

#include <algorithm>

namespace faultline {

namespace {

constexpr int kMaxParameters = 65535; // the protocol's Bind message counts them in 16 bits

} // namespace

PgRowsStatement::PgRowsStatement(QString head, QString tail, int columns, QStringList casts)
    : m_head(std::move(head))
    , m_tail(std::move(tail))
    , m_columns(columns)
    , m_casts(std::move(casts))
{
}

void PgRowsStatement::addRow(PgParams row)
{
    Q_ASSERT(int(row.size()) == m_columns);
    for (PgParam &param : row)
        m_params.push_back(std::move(param));
}

QString PgRowsStatement::sql(int rows) const
{
    QString text = m_head;
    text.reserve(m_head.size() + m_tail.size() + rows * m_columns * 7);
    int number = 0;
    for (int row = 0; row < rows; ++row) {
        text += row == 0 ? QStringLiteral(" (") : QStringLiteral(", (");
        for (int column = 0; column < m_columns; ++column) {
            text += (column == 0 ? QStringLiteral("$") : QStringLiteral(", $")) + QString::number(++number);
            if (row == 0 && column < m_casts.size())
                text += m_casts.at(column);
        }
        text += u')';
    }
    return text + m_tail;
}

PgResult<QList<PgRows>> PgRowsStatement::exec(PgConnection &connection) const
{
    QList<PgRows> results;
    const int rowsPerStatement = std::max(1, kMaxParameters / m_columns);
    const int total = rowCount();
    for (int first = 0; first < total; first += rowsPerStatement) {
        const int rows = std::min(rowsPerStatement, total - first);
        const auto begin = m_params.begin() + std::ptrdiff_t(first) * m_columns;
        const PgParams chunk(begin, begin + std::ptrdiff_t(rows) * m_columns);
        PgResult<PgRows> result = connection.exec(sql(rows), chunk);
        if (!result)
            return result.error();
        results.append(std::move(result).value());
    }
    return results;
}

PgParam pgIntegerArray(const QList<qint64> &values)
{
    QStringList numbers;
    numbers.reserve(values.size());
    for (qint64 value : values)
        numbers.append(QString::number(value));
    return PgParam::text(u'{' + numbers.join(u',') + u'}');
}

PgParam pgTextArray(const QStringList &values)
{
    QStringList quoted;
    quoted.reserve(values.size());
    for (QString value : values) // every element quoted, so empty strings, commas and NULL stay text
        quoted.append(u'"' + value.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\"")) + u'"');
    return PgParam::text(u'{' + quoted.join(u',') + u'}');
}

} // namespace faultline
