// Prints the issue list's condition for a search as the PostgreSQL backend runs it, so that
// bench/pg_search times the product's own SQL rather than a copy of it:
//
//   pg_filter_sql 'customer failed'
//
// Line 1: the condition with numbered placeholders ($1, $2, …); then one line per bound value.
#include "model/query/query_parser.h"
#include "storage/query_sql.h"

#include <QCoreApplication>
#include <QDateTime>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() != 2) {
        std::fprintf(stderr, "usage: pg_filter_sql QUERY\n");
        return 2;
    }
    const auto query = faultline::parseQuery(arguments.at(1));
    if (!query.ok()) {
        for (const faultline::FieldError &error : query.errors())
            std::fprintf(stderr, "pg_filter_sql: %s\n", qPrintable(error.msg));
        return 2;
    }
    const faultline::SqlFilter filter = faultline::issueFilterSql(
        query.value(), QDateTime::currentMSecsSinceEpoch(), faultline::SqlDialect::Postgres);
    std::printf("%s\n", qPrintable(faultline::pgPlaceholders(filter.where, 1)));
    for (const QVariant &value : filter.values) {
        const QString text = value.toString();
        if (text.contains(u'\n')) {
            std::fprintf(stderr, "pg_filter_sql: a value spans lines\n");
            return 1;
        }
        std::printf("%s\n", qPrintable(text));
    }
    return 0;
}
