#include "storage/query_sql.h"

#include "model/derived_tags.h"
#include "storage/issue_status.h"

namespace faultline {

namespace {

enum class Table { Issues, Events };

// What differs between the backends, one row each (the order of SqlDialect).
struct DialectSql {
    const char *always; // a condition that holds
    const char *never;
    const char *like; // case-insensitive LIKE, as SQLite's is for ASCII
    const char *projectNamed; // projects.name equal to ?, ignoring case
    // Free text (`?`: ftsString / pgTsQuery): a condition on a row of events, and the ids of the issues
    // with a matching event.
    const char *textEvent;
    const char *textIssueIds;
};

// SQLite's index is a table of its own, joined by row id (the issue through the denser index, migration v7).
// PostgreSQL's is the events' own `search` column, so no join back: and the issue ids come DISTINCT, so the
// planner knows the set is at most the issues and keeps it in one hash (a million events' ids were more
// than work_mem, and the subquery then ran again for every issue). That is PostgreSQL's issue list only
// when the issues' words cannot answer (kPgIssueText).
const DialectSql kDialects[] = {
    { "1", "0", "LIKE", "name = ? COLLATE NOCASE",
        "events.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)",
        "SELECT e.issue_id FROM events e INDEXED BY events_issue_by_row "
        "WHERE e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)" },
    { "TRUE", "FALSE", "ILIKE", "lower(name) = lower(?)", "events.search @@ to_tsquery('simple', search_fold(?))",
        "SELECT DISTINCT f.issue_id FROM events f WHERE f.search @@ to_tsquery('simple', search_fold(?))" },
};

// PostgreSQL's free text over issues (`?`: the LIKE pattern twice, pgIssueWordsQuery once, pgTsQuery once):
// issues whose title or culprit holds the text as a substring, or whose words say one of their events
// may hold it and one does. The titles are checked one of two ways (%1). For most words: the set of issues
// whose title or culprit matches (issue_texts, migration 22: trigram indexes where pg_trgm is installed),
// checked as a hash while the planner walks the issues in the list's order. For a word in most titles
// (pgBroadTextSql()): each issue's own columns, row by row. Such a word's set is every issue, and reading
// and hashing 50,000 titles cost `customer failed` more than the rest of it at a million events; row by row,
// only the issues the other word let through are checked, and the first page stops at 200.
// The issues' words nominate issues: issues_with_words() (migration 25: the rarest lexeme's range of
// issue_words, each candidate checked for the others), read only when an issue's title did not match (OR
// stops at the title: a word in every title reads no issue's words). One event of a nominee must then match:
// a probe through events(issue_id) that stops at the first matching event, made only for the
// issues the walk reaches (a page of 200 probes few). The probe is a LIMIT subquery, so the planner keeps
// it a probe rather than joining every matching event, and matches with ts_match_vq(), which no index
// serves, so it does not walk the GIN index's whole list once per issue. It asks for the newest match
// (ORDER BY received_ms, the partition key): the months are then read newest first, each through its
// (issue_id, received_ms) index. Without the order, a month that one issue fills (its statistics say an
// issue is a third of it) was scanned whole for every probed issue: 20 s for `timeout` on the window's list
// at a million events.
// A token PostgreSQL's parser splits in two comes back as 'a' <-> 'b': issues_with_words() reads the
// lexemes alone, every operator taken as &; a query the parser leaves empty nominates every issue.
const char *const kPgIssueText
    = "(%1 "
      "OR (issues.id IN (SELECT issues_with_words(to_tsquery('simple', search_fold(?)))) "
      "AND (SELECT f.received_ms FROM events f "
      "WHERE f.issue_id = issues.id AND ts_match_vq(f.search, to_tsquery('simple', search_fold(?))) "
      "ORDER BY f.received_ms DESC LIMIT 1) IS NOT NULL))";
// The titles, for kPgIssueText's %1 (`?`: the LIKE pattern twice): as a set, and row by row.
const char *const kPgTitleSet = "issues.id IN (SELECT t.issue_id FROM issue_texts t WHERE t.title ILIKE ? ESCAPE '\\' "
                                "OR t.culprit ILIKE ? ESCAPE '\\')";
const char *const kPgTitleRow = "issues.title ILIKE ? ESCAPE '\\' OR issues.culprit ILIKE ? ESCAPE '\\'";
// Whether a word is in most titles, for pgBroadTextSql(): the share of a sample of titles it is in.
// The table's first rows, not a random sample, so the same search is checked the same way every time.
const char *const kPgTitleShare
    = "count(*) FILTER (WHERE s.title ILIKE ? ESCAPE '\\' OR s.culprit ILIKE ? ESCAPE '\\') "
      "* 2 > count(*)";
const int kPgTitleSample = 200;

QString pgIssueText(bool broad)
{
    static const QString bySet = QString::fromLatin1(kPgIssueText).arg(QLatin1String(kPgTitleSet));
    static const QString byRow = QString::fromLatin1(kPgIssueText).arg(QLatin1String(kPgTitleRow));
    return broad ? byRow : bySet;
}

struct Builder {
    Table table;
    qint64 nowMs;
    SqlDialect dialect;
    QList<bool> broadTexts; // PostgreSQL, issues: per term, whether it is a word in most titles (kPgIssueText)
    QStringList conditions;
    QVariantList values;
    qsizetype termIndex = 0;

    const DialectSql &sql() const { return kDialects[int(dialect)]; }
    QString likeOperator() const { return QLatin1String(sql().like); }

    QString placeholders(int n) const
    {
        QStringList marks;
        for (int i = 0; i < n; ++i)
            marks.append(QStringLiteral("?"));
        return marks.join(QStringLiteral(", "));
    }

    // `eventCondition` over events aliased `e`; for issues: "some event of the issue matches".
    QString eventsMatching(const QString &eventCondition) const
    {
        if (table == Table::Events)
            return QStringLiteral("events.id IN (SELECT e.id FROM events e WHERE %1)").arg(eventCondition);
        return QStringLiteral("issues.id IN (SELECT e.issue_id FROM events e WHERE %1)").arg(eventCondition);
    }

    // Events table columns are checked directly; issues through their events.
    QString eventColumn(const QString &condition) const
    {
        if (table == Table::Events)
            return QString(condition).replace(QStringLiteral("e."), QStringLiteral("events."));
        return eventsMatching(condition);
    }

    // Issues that have seen `value` for `key` (see issue_facets in migrations.cpp).
    QString issueFacet(const QString &key, const QString &value)
    {
        values << key << value;
        return QStringLiteral("issues.id IN (SELECT f.issue_id FROM issue_facets f WHERE f.key = ? AND f.value = ?)");
    }

    // Issues whose counters saw `value` under any of `keys`.
    QString issueFacetAny(const QStringList &keys, const QString &value)
    {
        for (const QString &key : keys)
            values << key;
        values << value;
        return QStringLiteral(
            "issues.id IN (SELECT f.issue_id FROM issue_facets f WHERE f.key IN (%1) AND f.value = ?)")
            .arg(placeholders(int(keys.size())));
    }

    // Events whose derived tags (events.derived_tags, one column) include any key=value.
    QString derivedTagEvent(const QStringList &keys, const QString &value)
    {
        QStringList alternatives;
        for (const QString &key : keys) {
            alternatives.append(QStringLiteral("events.derived_tags %1 ? ESCAPE '\\'").arg(likeOperator()));
            values << likeContains(QChar(0x1f) + derivedTagSegment(key, value));
        }
        return u'(' + alternatives.join(QStringLiteral(" OR ")) + u')';
    }

    QString derivedTag(const QStringList &keys, const QString &value)
    {
        if (table == Table::Issues) {
            QStringList facetKeys;
            for (const QString &key : keys)
                facetKeys.append(QStringLiteral("derived:") + key);
            return issueFacetAny(facetKeys, value);
        }
        return derivedTagEvent(keys, value);
    }

    // A custom tag of that name (an app may tag `user.email` itself) or the user's identities.
    QString user(const QueryTerm &term)
    {
        static const QStringList identities
            = { QStringLiteral("id"), QStringLiteral("email"), QStringLiteral("username"), QStringLiteral("ip") };
        QStringList keys;
        for (const QString &identity : term.key.isEmpty() ? identities : QStringList { term.key })
            keys.append(QStringLiteral("user.") + identity);
        const QString ownKey = term.key.isEmpty() ? QStringLiteral("user") : QStringLiteral("user.") + term.key;
        const QString own = ownTag(ownKey, term.value);
        return QStringLiteral("(%1 OR %2)").arg(own, derivedTag(keys, term.value));
    }

    QString ownTag(const QString &key, const QString &value)
    {
        if (table == Table::Issues)
            return issueFacet(QStringLiteral("tag:") + key, value);
        values << key << value;
        return eventsMatching(
            QStringLiteral("e.id IN (SELECT t.event_row FROM event_tags t WHERE t.key = ? AND t.value = ?)"));
    }

    QString tag(const QueryTerm &term)
    {
        const QString own = ownTag(term.key, term.value);
        // server_name:, browser:, os:… also match what Sentry derives from the event's fields.
        if (!isDerivedTagKey(term.key))
            return own;
        return QStringLiteral("(%1 OR %2)").arg(own, derivedTag({ term.key }, term.value));
    }

    QString issueColumn(const QString &condition) const
    {
        if (table == Table::Issues)
            return QString(condition).replace(QStringLiteral("i."), QStringLiteral("issues."));
        return QStringLiteral("events.issue_id IN (SELECT i.id FROM issues i WHERE %1)").arg(condition);
    }

    // An ignore whose time is up is unresolved (storage/issue_status.h), events or not.
    QString issueStatus(const QString &status)
    {
        const QString expired = QStringLiteral("(i.status = 'ignored' AND i.ignore_until_ms BETWEEN 1 AND ?)");
        if (status == u"regressed")
            return issueColumn(QStringLiteral("i.regressed = 1"));
        if (status == u"unresolved") {
            values << nowMs;
            return issueColumn(QStringLiteral("(i.status = 'unresolved' OR %1)").arg(expired));
        }
        if (status == u"ignored") {
            values << nowMs;
            return issueColumn(QStringLiteral("(i.status = 'ignored' AND NOT %1)").arg(expired));
        }
        if (status == u"for_review") { // Sentry's "For Review": new, regressed or escalating, still open
            values << (nowMs - kNewIssueMs) << nowMs;
            return issueColumn(
                QStringLiteral("((i.first_seen_ms >= ? OR i.regressed = 1 OR i.substatus = 'escalating') "
                               "AND (i.status = 'unresolved' OR %1))")
                    .arg(expired));
        }
        values << status;
        return issueColumn(QStringLiteral("i.status = ?"));
    }

    QString text(const QueryTerm &term)
    {
        QStringList alternatives;
        const QString like = likeContains(term.value);
        const QString fts
            = dialect == SqlDialect::Sqlite ? ftsString(term.value, term.phrase) : pgTsQuery(term.value, term.phrase);
        const QString words = table == Table::Issues && dialect == SqlDialect::Postgres && !fts.isEmpty()
            ? pgIssueWordsQuery(term.value, term.phrase)
            : QString();
        if (!words.isEmpty()) {
            values << like << like << words << fts;
            return pgIssueText(broadTexts.value(termIndex, false));
        }
        const QString likeColumn = QStringLiteral("%1 ") + likeOperator() + QStringLiteral(" ? ESCAPE '\\'");
        if (table == Table::Issues)
            alternatives << likeColumn.arg(QLatin1String("issues.title"))
                         << likeColumn.arg(QLatin1String("issues.culprit"));
        else
            alternatives << likeColumn.arg(QLatin1String("events.title"))
                         << likeColumn.arg(QLatin1String("events.message"));
        values << like << like;
        if (!fts.isEmpty()) {
            alternatives << (table == Table::Events
                    ? QLatin1String(sql().textEvent)
                    : QStringLiteral("issues.id IN (%1)").arg(QLatin1String(sql().textIssueIds)));
            values << fts;
        }
        return u'(' + alternatives.join(QStringLiteral(" OR ")) + u')';
    }

    QString condition(const QueryTerm &term)
    {
        switch (term.field) {
        case QueryField::Text:
            return text(term);
        case QueryField::IssueStatus:
            return issueStatus(term.value);
        case QueryField::Level: {
            const QStringList levels = levelsMatching(term.compare, term.value);
            if (levels.isEmpty())
                return QLatin1String(sql().never);
            for (const QString &level : levels)
                values << level;
            return (table == Table::Issues ? QStringLiteral("issues.level IN (%1)")
                                           : QStringLiteral("events.level IN (%1)"))
                .arg(placeholders(int(levels.size())));
        }
        case QueryField::Project: {
            const QString column
                = table == Table::Issues ? QStringLiteral("issues.project_id") : QStringLiteral("events.project_id");
            bool numeric = false;
            const qint64 id = term.value.toLongLong(&numeric);
            values << term.value;
            const QString named = QLatin1String(sql().projectNamed);
            if (numeric) {
                values << id;
                return column + QStringLiteral(" IN (SELECT id FROM projects WHERE %1 OR id = ?)").arg(named);
            }
            return column + QStringLiteral(" IN (SELECT id FROM projects WHERE %1)").arg(named);
        }
        case QueryField::Release:
            if (table == Table::Issues)
                return issueFacet(QStringLiteral("release"), term.value);
            values << term.value;
            return eventColumn(QStringLiteral("e.release = ?"));
        case QueryField::Environment:
            if (table == Table::Issues)
                return issueFacet(QStringLiteral("environment"), term.value);
            values << term.value;
            return eventColumn(QStringLiteral("e.environment = ?"));
        case QueryField::Tag:
            return tag(term);
        case QueryField::User:
            return user(term);
        case QueryField::Has:
            if (term.key == u"locals")
                return eventColumn(QStringLiteral("e.has_locals = 1"));
            if (term.key == u"validation")
                return eventColumn(QStringLiteral("e.validation_fields <> ''"));
            values << term.key;
            if (isDerivedTagKey(term.key)) { // has:user, has:browser…
                values << likeContains(QChar(0x1f) + term.key + u'=');
                return eventColumn(QStringLiteral("(e.id IN (SELECT t.event_row FROM event_tags t WHERE t.key = ?) "
                                                  "OR e.derived_tags %1 ? ESCAPE '\\')")
                                       .arg(likeOperator()));
            }
            return eventsMatching(QStringLiteral("e.id IN (SELECT t.event_row FROM event_tags t WHERE t.key = ?)"));
        case QueryField::ValidationField: {
            // A field matches its full path ("body.email") or its last segment ("email").
            const QString segment = QString(term.value)
                                        .replace(u'\\', QStringLiteral("\\\\"))
                                        .replace(u'%', QStringLiteral("\\%"))
                                        .replace(u'_', QStringLiteral("\\_"));
            values << (QStringLiteral("%|") + segment + QStringLiteral("|%"))
                   << (QStringLiteral("%.") + segment + QStringLiteral("|%"));
            return eventColumn(
                QStringLiteral("(e.validation_fields %1 ? ESCAPE '\\' OR e.validation_fields %1 ? ESCAPE '\\')")
                    .arg(likeOperator()));
        }
        case QueryField::HttpStatus:
            values << term.httpStatusMin << term.httpStatusMax;
            return eventColumn(QStringLiteral("e.http_status BETWEEN ? AND ?"));
        case QueryField::FirstSeen:
            values << (nowMs - term.seconds * 1000);
            return issueColumn(
                term.olderThan ? QStringLiteral("i.first_seen_ms < ?") : QStringLiteral("i.first_seen_ms >= ?"));
        case QueryField::LastSeen:
            values << (nowMs - term.seconds * 1000);
            if (table == Table::Issues)
                return term.olderThan ? QStringLiteral("issues.last_seen_ms < ?")
                                      : QStringLiteral("issues.last_seen_ms >= ?");
            return term.olderThan ? QStringLiteral("events.received_ms < ?")
                                  : QStringLiteral("events.received_ms >= ?");
        }
        return QLatin1String(sql().always);
    }

    SqlFilter build(const Query &query)
    {
        for (termIndex = 0; termIndex < query.terms.size(); ++termIndex) {
            const QueryTerm &term = query.terms[termIndex];
            const QString sql = condition(term);
            conditions.append(term.negated ? QStringLiteral("NOT (%1)").arg(sql) : QStringLiteral("(%1)").arg(sql));
        }
        return SqlFilter {
            conditions.isEmpty() ? QString::fromLatin1(sql().always) : conditions.join(QStringLiteral(" AND ")), values
        };
    }
};

} // namespace

SqlFilter issueFilterSql(const Query &query, qint64 nowMs, SqlDialect dialect, const QList<bool> &broadTexts)
{
    return Builder { Table::Issues, nowMs, dialect, broadTexts, {}, {} }.build(query);
}

SqlFilter eventFilterSql(const Query &query, qint64 nowMs, SqlDialect dialect)
{
    return Builder { Table::Events, nowMs, dialect, {}, {}, {} }.build(query);
}

SqlFilter pgBroadTextSql(const Query &query)
{
    QStringList columns;
    QVariantList values;
    bool anyText = false;
    for (const QueryTerm &term : query.terms) {
        if (term.field != QueryField::Text || pgIssueWordsQuery(term.value, term.phrase).isEmpty()) {
            columns.append(QStringLiteral("FALSE"));
            continue;
        }
        anyText = true;
        columns.append(QLatin1String(kPgTitleShare));
        const QString like = likeContains(term.value);
        values << like << like;
    }
    if (!anyText)
        return {};
    return SqlFilter { QStringLiteral("SELECT %1 FROM (SELECT t.title, t.culprit FROM issue_texts t LIMIT %2) s")
                           .arg(columns.join(QStringLiteral(", ")))
                           .arg(kPgTitleSample),
        values };
}

QString ftsString(const QString &text, bool phrase)
{
    bool hasToken = false;
    for (QChar c : text)
        hasToken = hasToken || c.isLetterOrNumber();
    if (!hasToken)
        return {};
    QString quoted = u'"' + QString(text).replace(u'"', QStringLiteral("\"\"")) + u'"';
    if (!phrase)
        quoted += u'*';
    return quoted;
}

namespace {

// The search column replaced punctuation by spaces before PostgreSQL's parser
// split it (pg_schema.cpp): any run of other characters separates tokens.
QStringList pgSearchTokens(const QString &text)
{
    QStringList tokens;
    QString token;
    for (QChar c : text) {
        if (c.isLetterOrNumber() || c.isMark()) {
            token += c; // case and diacritics: search_fold() in SQL, as for the stored vector
        } else if (!token.isEmpty()) {
            tokens.append(token);
            token.clear();
        }
    }
    if (!token.isEmpty())
        tokens.append(token);
    return tokens;
}

// Letters and digits only: nothing to escape, nothing tsquery reads as syntax.
QString quotedLexeme(const QString &token) { return u'\'' + token + u'\''; }

bool isAsciiDigit(QChar c) { return c >= u'0' && c <= u'9'; }

} // namespace

QString pgTsQuery(const QString &text, bool phrase)
{
    QStringList tokens = pgSearchTokens(text);
    if (tokens.isEmpty())
        return {};
    for (QString &each : tokens)
        each = quotedLexeme(each);
    QString query = tokens.join(QStringLiteral(" <-> "));
    if (!phrase)
        query += QStringLiteral(":*");
    return query;
}

QString pgIssueWordsQuery(const QString &text, bool phrase)
{
    const QStringList tokens = pgSearchTokens(text);
    QStringList terms;
    QString previous; // the token before, as issue_word() keeps it ("" when nothing)
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QString &token = tokens[i];
        qsizetype digit = -1;
        for (qsizetype at = 0; at < token.size(); ++at) {
            // A mark or another script's digit may split differently in PostgreSQL's parser than here:
            // such text is looked for in the events alone, as before the issues kept words.
            if (!token[at].isLetter() && !isAsciiDigit(token[at]))
                return {};
            if (digit < 0 && isAsciiDigit(token[at]))
                digit = at;
        }
        // "order12345" is kept as "order", so "order123" may be any "order…"; the last token of a
        // search that is not a phrase is a prefix too.
        const QString kept = digit < 0 ? token : token.left(digit);
        const QString prefix = digit > 0 || (i == tokens.size() - 1 && !phrase) ? QStringLiteral(":*") : QString();
        if (!kept.isEmpty()) { // issue_word() keeps nothing of "404" or "2fa": no condition on the words
            terms.append(quotedLexeme(kept) + prefix);
            if (!previous.isEmpty())
                terms.append(quotedLexeme(previous + u'0' + kept) + prefix);
        }
        previous = kept;
    }
    return terms.join(QStringLiteral(" & "));
}

QString pgPlaceholders(const QString &sql, int first)
{
    QString numbered;
    numbered.reserve(sql.size() + 16);
    bool inLiteral = false;
    int next = first;
    for (QChar c : sql) {
        if (c == u'\'')
            inLiteral = !inLiteral; // '' inside a literal toggles twice: still inside
        if (c == u'?' && !inLiteral)
            numbered += u'$' + QString::number(next++);
        else
            numbered += c;
    }
    return numbered;
}

QString likeContains(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'%', QStringLiteral("\\%"))
        .replace(u'_', QStringLiteral("\\_"));
    return u'%' + escaped + u'%';
}

} // namespace faultline
