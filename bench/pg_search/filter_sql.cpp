// Prints the issue list's condition for a search as the PostgreSQL backend runs it on a database, so that
// bench/pg_search times the product's own SQL rather than a copy of it:
//
//   pg_filter_sql postgresql://… 'customer failed'
//
// The database answers which words most titles hold (pgIssueFilter()), as it does for the window.
// Line 1: the condition with numbered placeholders ($1, $2, …); then one line per bound value.
#include "model/query/query_parser.h"
#include "storage/postgres/pg_query_params.h"

#include <QCoreApplication>
#include <QDateTime>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() != 3) {
        std::fprintf(stderr, "usage: pg_filter_sql URI QUERY\n");
        return 2;
    }
    const auto query = faultline::parseQuery(arguments.at(2));
    if (!query.ok()) {
        for (const faultline::FieldError &error : query.errors())
            std::fprintf(stderr, "pg_filter_sql: %s\n", qPrintable(error.msg));
        return 2;
    }
    auto connection = faultline::PgConnection::open(arguments.at(1));
    if (!connection) {
        std::fprintf(stderr, "pg_filter_sql: %s\n", qPrintable(connection.error().message));
        return 1;
    }
    const auto filter
        = faultline::pgIssueFilter(*connection.value(), query.value(), QDateTime::currentMSecsSinceEpoch());
    if (!filter) {
        std::fprintf(stderr, "pg_filter_sql: %s\n", qPrintable(filter.error().message));
        return 1;
    }
    std::printf("%s\n", qPrintable(faultline::pgPlaceholders(filter->where, 1)));
    for (const QVariant &value : filter->values) {
        const QString text = value.toString();
        if (text.contains(u'\n')) {
            std::fprintf(stderr, "pg_filter_sql: a value spans lines\n");
            return 1;
        }
        std::printf("%s\n", qPrintable(text));
    }
    return 0;
}
