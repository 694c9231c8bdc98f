#pragma once
// The search language shared by the CLI (--query) and the UI search bar, as a
// value: a list of terms, all of which must hold (AND), each possibly negated.
// Turning it into SQL is storage's job (storage/query_sql.h).
#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <optional>
#include <span>

namespace faultline {

enum class QueryField {
    Text, // free word or "quoted phrase": full-text search
    IssueStatus, // is:unresolved|resolved|ignored|regressed|for_review (new, regressed or escalating)
    Level, // level:error, level:>=warning
    Project, // project:<name or id>, service:<…>
    Release, // release:1.2.3
    Environment, // environment:production
    Tag, // tag:key=value, or key:value for any other key
    Has, // has:locals, has:validation, has:<tag key>
    ValidationField, // field:email (a field named in a validation error)
    HttpStatus, // status:500, status:4xx
    FirstSeen, // age:-24h
    LastSeen, // last_seen:-1h
    User, // user:42 (any identity), user.id:42, user.email:a@b.c, user.username:…, user.ip:…, user:id:42
};

// The keys typed before a colon, and what each searches: one table for the parser
// (model/query/query_parser.cpp) and for whoever writes terms (a tag named like a
// key must be written `tag:key=value`). `user` and `user.<identity>` are a family
// of their own (QueryField::User); any other key is a tag, as in Sentry.
struct QueryKey {
    const char *name;
    QueryField field;
};
std::span<const QueryKey> queryKeys();
// The field a key searches, in any case; nothing for a tag key (and for the user family).
std::optional<QueryField> queryKeyField(const QString &key);
// `user`, `user.id`, `user.email`…: keys of the user family, in any case.
bool isUserQueryKey(const QString &key);

enum class QueryCompare { Equal, Less, LessOrEqual, Greater, GreaterOrEqual };

struct QueryTerm {
    QueryField field = QueryField::Text;
    bool negated = false; // `!term` or `-term`
    QString key; // Tag: the tag key; Has: locals, validation or a tag key;
                 // User: id, email, username, ip, or empty for any of them
    QString value; // Text: the word/phrase; IssueStatus: status name; Level: level name;
                   // Project, Release, Environment, Tag value, ValidationField: as typed
    bool phrase = false; // Text: it was quoted, so it matches as a phrase, not as a prefix
    QueryCompare compare = QueryCompare::Equal; // Level
    int httpStatusMin = 0; // HttpStatus: inclusive range; 500 → [500,500], 4xx → [400,499]
    int httpStatusMax = 0;
    qint64 seconds = 0; // FirstSeen/LastSeen: the duration
    bool olderThan = false; // FirstSeen/LastSeen: `+24h` (older than) instead of `-24h` (within)
    int start = 0; // the term's span in the query text, for highlighting
    int length = 0;
};

struct Query {
    QList<QueryTerm> terms;
    bool isEmpty() const { return terms.isEmpty(); }
};

// `query` narrowed to one project (projectId <= 0: unchanged), for views that follow a selected project.
Query restrictedToProject(Query query, qint64 projectId);

// Sentry's level order: debug < info < warning < error < fatal. -1 for anything else.
int levelRank(const QString &level);
// Level names ordered by rank, for messages and for expanding comparisons.
QStringList levelNames();
// The level names that satisfy `<compare> level` (e.g. >= warning → warning, error, fatal).
QStringList levelsMatching(QueryCompare compare, const QString &level);

} // namespace faultline
