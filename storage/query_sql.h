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
    QString where; // a boolean expression; "1" when the query is empty
    QVariantList values; // for the `?` in `where`, in order
};

// Condition over `issues` (refer to the table by its name, not an alias).
// `nowMs` anchors age:/last_seen: durations.
SqlFilter issueFilterSql(const Query &query, qint64 nowMs);

// Condition over `events`. age: is the age of the event's issue; last_seen: the
// event's received time.
SqlFilter eventFilterSql(const Query &query, qint64 nowMs);

// "a\"b" → "\"a\"\"b\"": an FTS5 string, so NEAR, *, AND, ( ) and quotes are plain text.
// A prefix query ("…"*) unless `phrase`. Empty when `text` holds no searchable token.
QString ftsString(const QString &text, bool phrase);
// For LIKE … ESCAPE '\': "50%_off" → "%50\%\_off%".
QString likeContains(const QString &text);

} // namespace faultline
