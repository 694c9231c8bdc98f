#pragma once
// Turns a parsed search (model/query/query.h) into a SQL condition with bound
// values, for the issues table or for the events table. User text never
// becomes SQL or FTS syntax: it is bound, LIKE-escaped, or quoted as an FTS5
// string.
#include "model/query/query.h"

#include <QString>
#include <QVariantList>

namespace faultline {

struct SqlFilter {
    QString where; // a boolean expression; "1" (PostgreSQL: TRUE) when the query is empty
    QVariantList values; // for the `?` in `where`, in order
};

// The SQL the same search becomes on each backend (#18). Where they differ:
// PostgreSQL matches free text in the events' tsvector column (pgTsQuery)
// instead of FTS5, compares with ILIKE where SQLite's LIKE ignores case, and
// names project: case-insensitively through lower(). Placeholders are `?` in
// both: pgPlaceholders() numbers them for PostgreSQL.
enum class SqlDialect { Sqlite, Postgres };

// Condition over `issues` (refer to the table by its name, not an alias).
// `nowMs` anchors age:/last_seen: durations. `broadTexts` (PostgreSQL): per term of `query`, whether it is
// free text in most titles, as pgBroadTextSql() answers; the same issues match either way, only the cost differs.
SqlFilter issueFilterSql(
    const Query &query, qint64 nowMs, SqlDialect dialect = SqlDialect::Sqlite, const QList<bool> &broadTexts = {});
// PostgreSQL: a SELECT of one row, a boolean per term of `query`: whether the term is free text that most
// issues' titles or culprits hold, in a sample of them (issueFilterSql()'s `broadTexts`). Empty `where` when
// no term is such free text.
SqlFilter pgBroadTextSql(const Query &query);

// Condition over `events`. age: is the age of the event's issue; last_seen: the
// event's received time.
SqlFilter eventFilterSql(const Query &query, qint64 nowMs, SqlDialect dialect = SqlDialect::Sqlite);

// "a\"b" → "\"a\"\"b\"": an FTS5 string, so NEAR, *, AND, ( ) and quotes are plain text.
// A prefix query ("…"*) unless `phrase`. Empty when `text` holds no searchable token.
QString ftsString(const QString &text, bool phrase);
// The tsquery (for to_tsquery('simple', …)) that matches what ftsString() matches in
// FTS5: the text split into tokens where the search column splits it (at anything
// but a letter or digit), adjacent in that order (<->), the last one a prefix
// (:*) unless `phrase`. "py_client.py" → 'py' <-> 'client' <-> 'py':*. Empty when
// `text` holds no searchable token.
QString pgTsQuery(const QString &text, bool phrase);
// The tsquery whose lexemes an issue's words (issue_words, PostgreSQL's migration 25) must all hold when one of its
// events matches pgTsQuery(text, phrase): every token, a token with a digit as its part before the first digit, a
// prefix ("order12345" → 'order':*), a token that starts with one left out; and every two adjacent tokens that are both
// kept as their pair ('customer0failed'). Empty when no token is left, or when the text holds a token that PostgreSQL's
// parser might split where this one does not (a mark, another script's digit): then the events alone answer.
QString pgIssueWordsQuery(const QString &text, bool phrase);
// "a = ? AND b IN (?, ?)" → "a = $1 AND b IN ($2, $3)" (from `first`); a `?` inside a
// '…' literal stays.
QString pgPlaceholders(const QString &sql, int first = 1);
// For LIKE … ESCAPE '\': "50%_off" → "%50\%\_off%".
QString likeContains(const QString &text);

} // namespace faultline
