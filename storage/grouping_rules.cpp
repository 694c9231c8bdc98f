#include "storage/grouping_rules.h"

#include "model/query/query.h"
#include "storage/database.h"
#include "storage/event_mover.h"
#include "storage/grouping_queries.h"
#include "storage/statement.h"

#include <sqlite3.h>

namespace faultline {

namespace {

// A transaction that rolls back unless committed.
class WriteTransaction {
public:
    explicit WriteTransaction(sqlite3 *db)
        : m_db(db)
    {
    }
    ~WriteTransaction()
    {
        if (m_open && !sqlite3_get_autocommit(m_db))
            execSql(m_db, "ROLLBACK");
    }
    bool begin(QString *error) { return m_open = execSql(m_db, "BEGIN IMMEDIATE", error); }
    bool commit(QString *error) { return execSql(m_db, "COMMIT", error) && !(m_open = false); }

private:
    sqlite3 *m_db;
    bool m_open = false;
};

bool say(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return false;
}

bool run(sqlite3 *db, const QString &sql, const QVariantList &values, QString *error)
{
    Statement statement(db, sql);
    statement.bindAll(values);
    return statement.exec() || say(error, statement.error());
}

QString named(const IssueRow &issue)
{
    const QString title = issue.title.simplified();
    return QStringLiteral("#%1 “%2”")
        .arg(issue.id)
        .arg(title.size() > 48 ? title.left(47) + QStringLiteral("…") : title);
}

} // namespace

qint64 mergeSurvivor(const QList<IssueRow> &issues, qint64 into)
{
    if (into > 0) {
        for (const IssueRow &issue : issues)
            if (issue.id == into)
                return into;
        return 0;
    }
    const IssueRow *largest = nullptr;
    for (const IssueRow &issue : issues)
        if (!largest || issue.count > largest->count)
            largest = &issue;
    return largest ? largest->id : 0;
}

qint64 GroupingRules::insertRule(const GroupingRule &rule, QString *error)
{
    sqlite3 *db = m_db.handle();
    Statement insert(db,
        QStringLiteral("INSERT INTO grouping_rules(project_id, kind, issue_id, from_issue_id, description, created_ms) "
                       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
    insert.bindAll({ rule.projectId, rule.kind, rule.issueId > 0 ? QVariant(rule.issueId) : QVariant(),
        rule.fromIssueId > 0 ? QVariant(rule.fromIssueId) : QVariant(), rule.description, rule.createdMs });
    if (!insert.step())
        return say(error, insert.error());
    const qint64 id = insert.int64(0);
    Statement key(db, QStringLiteral("INSERT OR IGNORE INTO grouping_rule_keys(rule_id, hash) VALUES (?, ?)"));
    for (const QString &hash : rule.hashes) {
        key.reset();
        key.bindAll({ id, hash });
        if (!key.exec())
            return say(error, key.error());
    }
    return id;
}

std::optional<QList<IssueRow>> issuesToMerge(
    const QList<qint64> &issueIds, const std::function<StorageResult<IssueRow>(qint64)> &byId, QString *error)
{
    QList<qint64> ids;
    for (qint64 id : issueIds)
        if (!ids.contains(id))
            ids.append(id);
    if (ids.size() < 2)
        return say(error, QStringLiteral("merging needs two issues or more")), std::nullopt;
    QList<IssueRow> issues;
    for (qint64 id : std::as_const(ids)) {
        const StorageResult<IssueRow> issue = byId(id);
        if (!issue)
            return say(error, issueReadFailure(issue.error(), id)), std::nullopt;
        if (issue->projectId != (issues.isEmpty() ? issue->projectId : issues.first().projectId))
            return say(error, QStringLiteral("issue %1 belongs to another project").arg(id)), std::nullopt;
        issues.append(*issue);
    }
    return issues;
}

std::optional<MergePlan> planMerge(const QList<IssueRow> &issues, qint64 into, QString *error)
{
    const qint64 survivorId = mergeSurvivor(issues, into);
    if (survivorId == 0)
        return say(error, QStringLiteral("issue %1 is not one of the issues merged").arg(into)), std::nullopt;
    MergePlan plan;
    QStringList mergedNames;
    const IssueRow *earliest = nullptr, *latest = nullptr;
    qint64 countAdded = 0;
    for (const IssueRow &issue : issues) {
        if (issue.id == survivorId) {
            plan.survivor = issue;
        } else {
            mergedNames.append(named(issue));
            plan.mergedIds.append(issue.id);
            countAdded += issue.count;
        }
        if (!earliest || issue.firstSeenMs < earliest->firstSeenMs)
            earliest = &issue;
        if (!latest || issue.lastSeenMs > latest->lastSeenMs)
            latest = &issue;
    }
    plan.description = QStringLiteral("Into %1: merged %2").arg(named(plan.survivor), mergedNames.join(u", "));
    plan.earliestId = earliest->id;
    IssueRow &survivor = plan.survivor;
    for (const IssueRow &issue : issues) {
        if (levelRank(issue.level) > levelRank(survivor.level))
            survivor.level = issue.level;
        survivor.unhandled = survivor.unhandled || issue.unhandled;
    }
    // The counters add up (they also count what retention deleted).
    survivor.count += countAdded;
    survivor.firstSeenMs = earliest->firstSeenMs;
    survivor.lastSeenMs = latest->lastSeenMs;
    survivor.title = latest->title;
    survivor.culprit = latest->culprit;
    // "Ignored until N more events" counts from the survivor's own count: the
    // merged issues' events are not new occurrences.
    if (survivor.substatus == u"until_events")
        survivor.ignoreUntilCount += countAdded;
    return plan;
}

std::optional<StoredGroupingKey> keyToSplit(const IssueRow &issue, const QString &hash,
    const QList<StoredGroupingKey> &keys, const QHash<qint64, qint64> &eventsPerKey, QString *error)
{
    const qint64 issueId = issue.id;
    QList<StoredGroupingKey> matching;
    for (const StoredGroupingKey &key : keys)
        if (key.hash == hash || (hash.size() >= 7 && key.hash.startsWith(hash, Qt::CaseInsensitive)))
            matching.append(key);
    if (matching.size() != 1)
        return say(error,
                   matching.isEmpty()
                       ? QStringLiteral("issue %1 has no grouping key %2 (see faultline issue %1 --grouping)")
                             .arg(issueId)
                             .arg(hash)
                       : QStringLiteral("%1 names more than one key of issue %2; give more of it")
                             .arg(hash)
                             .arg(issueId)),
               std::nullopt;
    if (keys.size() < 2)
        return say(error, QStringLiteral("issue %1 has only this grouping key: nothing to split it from").arg(issueId)),
               std::nullopt;
    const qint64 perKey = eventsPerKey.value(matching.first().id);
    if (perKey == 0)
        return say(error, QStringLiteral("no stored event of issue %1 was grouped by %2").arg(issueId).arg(hash)),
               std::nullopt;
    if (perKey >= issue.count)
        return say(error,
                   QStringLiteral("all events of issue %1 were grouped by %2: nothing would be left")
                       .arg(issueId)
                       .arg(hash)),
               std::nullopt;
    return matching.first();
}

QString splitDescription(qint64 newIssueId, const QString &hash, const IssueRow &from)
{
    return QStringLiteral("Into #%1: split key %2 off %3").arg(newIssueId).arg(hash.left(12), named(from));
}

std::optional<MergeOutcome> GroupingRules::merge(
    const QList<qint64> &issueIds, qint64 into, qint64 nowMs, QString *error)
{
    sqlite3 *db = m_db.handle();
    WriteTransaction transaction(db);
    if (!transaction.begin(error))
        return std::nullopt;
    IssueQueries queries(m_db);
    const auto issues = issuesToMerge(
        issueIds, [&](qint64 id) { return queries.byId(id); }, error);
    if (!issues)
        return std::nullopt;
    const std::optional<MergePlan> plan = planMerge(*issues, into, error);
    if (!plan)
        return std::nullopt;
    const IssueRow &survivor = plan->survivor;
    MergeOutcome outcome;
    outcome.survivorId = survivor.id;

    GroupingRule rule;
    rule.projectId = survivor.projectId;
    rule.kind = QStringLiteral("merge");
    rule.issueId = survivor.id;
    rule.createdMs = nowMs;
    rule.description = plan->description;
    Statement keys(db, QStringLiteral("SELECT hash FROM grouping_keys WHERE issue_id = ? ORDER BY id"));
    for (qint64 merged : plan->mergedIds) {
        keys.reset();
        keys.bind(1, merged);
        while (keys.step())
            rule.hashes.append(keys.text(0));
    }
    Statement firstTitle(db, QStringLiteral("SELECT first_title, first_culprit FROM issues WHERE id = ?"));
    firstTitle.bind(1, plan->earliestId);
    if (!firstTitle.step())
        return say(error, firstTitle.error()), std::nullopt;
    const QString firstTitleText = firstTitle.text(0), firstCulprit = firstTitle.text(1);
    if ((outcome.ruleId = insertRule(rule, error)) == 0)
        return std::nullopt;

    const qint64 target = survivor.id;
    for (qint64 merged : plan->mergedIds) {
        // Facet counters add up; events and keys change hands.
        const bool ok
            = run(db,
                  QStringLiteral("INSERT INTO issue_facets(issue_id, key, value, events, first_seen_ms, "
                                 "last_seen_ms) SELECT ?1, key, value, events, first_seen_ms, last_seen_ms "
                                 "FROM issue_facets WHERE issue_id = ?2 ON CONFLICT(issue_id, key, value) DO "
                                 "UPDATE SET events = events + excluded.events, first_seen_ms = CASE WHEN "
                                 "first_seen_ms = 0 THEN excluded.first_seen_ms WHEN excluded.first_seen_ms = "
                                 "0 THEN first_seen_ms ELSE min(first_seen_ms, excluded.first_seen_ms) END, "
                                 "last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)"),
                  { target, merged }, error)
            && run(db,
                QStringLiteral("UPDATE grouping_keys SET issue_id = ?1, linked_by = 'merge' WHERE issue_id = ?2"),
                { target, merged }, error)
            && run(
                db, QStringLiteral("UPDATE events SET issue_id = ?1 WHERE issue_id = ?2"), { target, merged }, error);
        if (!ok)
            return std::nullopt;
        outcome.eventsMoved += changedRows(db);
        // Earlier rules that led to the merged issue now lead to the survivor.
        if (!run(db, QStringLiteral("UPDATE grouping_rules SET issue_id = ?1 WHERE issue_id = ?2"), { target, merged },
                error)
            || !run(db, QStringLiteral("DELETE FROM issues WHERE id = ?"), { merged }, error))
            return std::nullopt;
        outcome.mergedIds.append(merged);
    }
    if (!run(db,
            QStringLiteral("UPDATE issues SET count = ?2, first_seen_ms = ?3, last_seen_ms = ?4, level = ?5, "
                           "unhandled = ?6, title = ?7, culprit = ?8, first_title = ?9, first_culprit = ?10, "
                           "ignore_until_count = ?11 WHERE id = ?1"),
            { target, survivor.count, survivor.firstSeenMs, survivor.lastSeenMs, survivor.level,
                survivor.unhandled ? 1 : 0, survivor.title, survivor.culprit, firstTitleText, firstCulprit,
                survivor.ignoreUntilCount },
            error)
        || !transaction.commit(error))
        return std::nullopt;
    return outcome;
}

bool GroupingRules::moveKeys(qint64 fromIssue, const QStringList &hashes, const QString &linkedBy, qint64 *toIssue,
    qint64 *eventsMoved, QString *error)
{
    sqlite3 *db = m_db.handle();
    Statement keyId(db, QStringLiteral("SELECT id FROM grouping_keys WHERE issue_id = ? AND hash = ?"));
    Statement events(db, QStringLiteral("SELECT id FROM events WHERE issue_id = ? AND grouping_key_id = ?"));
    QList<qint64> keyIds;
    QList<EventMove> moves;
    for (const QString &hash : hashes) {
        keyId.reset();
        keyId.bindAll({ fromIssue, hash });
        if (!keyId.step())
            return say(error, QStringLiteral("issue %1 has no grouping key %2").arg(fromIssue).arg(hash));
        keyIds.append(keyId.int64(0));
        events.reset();
        events.bindAll({ fromIssue, keyIds.last() });
        while (events.step())
            moves.append(EventMove { events.int64(0), fromIssue, 0, 0 });
    }
    EventMover mover(db);
    QSet<qint64> fresh;
    if (*toIssue == 0) {
        Statement latest(db, QStringLiteral("SELECT title, culprit FROM events WHERE id = ?"));
        latest.bind(1, moves.isEmpty() ? 0 : moves.last().eventRow);
        latest.step();
        if ((*toIssue = mover.createIssue(fromIssue, QString(), latest.text(0), latest.text(1), error)) == 0)
            return false;
        fresh.insert(*toIssue);
    }
    for (EventMove &move : moves)
        move.toIssue = *toIssue;
    for (qint64 id : std::as_const(keyIds))
        if (!run(db, QStringLiteral("UPDATE grouping_keys SET issue_id = ?, linked_by = ? WHERE id = ?"),
                { *toIssue, linkedBy, id }, error))
            return false;
    *eventsMoved = moves.size();
    return mover.releaseFingerprint(fromIssue, error) && mover.move(moves, fresh, nullptr, error);
}

std::optional<SplitOutcome> GroupingRules::split(qint64 issueId, const QString &hash, qint64 nowMs, QString *error)
{
    sqlite3 *db = m_db.handle();
    WriteTransaction transaction(db);
    if (!transaction.begin(error))
        return std::nullopt;
    const StorageResult<IssueRow> issue = IssueQueries(m_db).byId(issueId);
    if (!issue)
        return say(error, issueReadFailure(issue.error(), issueId)), std::nullopt;
    const std::optional<StoredGroupingKey> key
        = keyToSplit(*issue, hash, GroupingQueries(m_db).forIssue(issueId), eventsPerKey(issueId), error);
    if (!key)
        return std::nullopt;
    const QStringList matching { key->hash };
    SplitOutcome outcome;
    if (!moveKeys(issueId, matching, QStringLiteral("split"), &outcome.newIssueId, &outcome.eventsMoved, error))
        return std::nullopt;
    GroupingRule rule;
    rule.projectId = issue->projectId;
    rule.kind = QStringLiteral("split");
    rule.issueId = outcome.newIssueId;
    rule.fromIssueId = issueId;
    rule.hashes = matching;
    rule.createdMs = nowMs;
    rule.description = splitDescription(outcome.newIssueId, matching.first(), *issue);
    if ((outcome.ruleId = insertRule(rule, error)) == 0 || !transaction.commit(error))
        return std::nullopt;
    return outcome;
}

bool GroupingRules::remove(qint64 ruleId, QString *done, QString *error)
{
    sqlite3 *db = m_db.handle();
    WriteTransaction transaction(db);
    if (!transaction.begin(error))
        return false;
    Statement read(
        db, QStringLiteral("SELECT kind, project_id, coalesce(from_issue_id, 0) FROM grouping_rules WHERE id = ?"));
    read.bind(1, ruleId);
    if (!read.step())
        return say(error, QStringLiteral("no grouping rule %1").arg(ruleId));
    const QString kind = read.text(0);
    const qint64 projectId = read.int64(1), fromIssue = read.int64(2);
    // Where the rule's keys are now (later merges may have moved them on).
    Statement holders(db,
        QStringLiteral("SELECT k.issue_id, k.hash FROM grouping_rule_keys r JOIN grouping_keys k "
                       "ON k.project_id = ?1 AND k.hash = r.hash WHERE r.rule_id = ?2 ORDER BY k.issue_id, k.id"));
    holders.bindAll({ projectId, ruleId });
    QMap<qint64, QStringList> byIssue;
    while (holders.step())
        byIssue[holders.int64(0)].append(holders.text(1));
    QStringList said;
    for (auto it = byIssue.cbegin(); it != byIssue.cend(); ++it) {
        qint64 to = kind == u"split" ? fromIssue : 0;
        if (to == it.key())
            continue;
        if (kind == u"split" && to == 0) {
            said.append(QStringLiteral("the issue it was split from is gone; #%1 stays as it is").arg(it.key()));
            continue;
        }
        qint64 moved = 0;
        if (!moveKeys(it.key(), it.value(), kind == u"split" ? QStringLiteral("merge") : QStringLiteral("split"), &to,
                &moved, error))
            return false;
        said.append(kind == u"split"
                ? QStringLiteral("%1 events back into #%2").arg(moved).arg(to)
                : QStringLiteral("%1 events out of #%2 into #%3").arg(moved).arg(it.key()).arg(to));
    }
    if (!run(db, QStringLiteral("DELETE FROM grouping_rules WHERE id = ?"), { ruleId }, error)
        || !transaction.commit(error))
        return false;
    if (done)
        *done = said.isEmpty() ? QStringLiteral("rule removed") : said.join(QStringLiteral("; "));
    return true;
}

QList<GroupingRule> GroupingRules::forProject(qint64 projectId, QString *error) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT id, kind, coalesce(issue_id, 0), coalesce(from_issue_id, 0), description, created_ms "
                       "FROM grouping_rules WHERE project_id = ? ORDER BY id DESC"));
    select.bind(1, projectId);
    Statement hashes(m_db.handle(), QStringLiteral("SELECT hash FROM grouping_rule_keys WHERE rule_id = ?"));
    QList<GroupingRule> rules;
    while (select.step()) {
        GroupingRule rule { select.int64(0), projectId, select.text(1), select.int64(2), select.int64(3), {},
            select.text(4), select.int64(5) };
        hashes.reset();
        hashes.bind(1, rule.id);
        while (hashes.step())
            rule.hashes.append(hashes.text(0));
        rules.append(rule);
    }
    if (!select.error().isEmpty() && error)
        *error = select.error();
    return rules;
}

QHash<qint64, qint64> GroupingRules::eventsPerKey(qint64 issueId, QString *error) const
{
    Statement select(m_db.handle(),
        QStringLiteral(
            "SELECT grouping_key_id, count(*) FROM events WHERE issue_id = ? AND grouping_key_id IS NOT NULL "
            "GROUP BY grouping_key_id"));
    select.bind(1, issueId);
    QHash<qint64, qint64> counts;
    while (select.step())
        counts.insert(select.int64(0), select.int64(1));
    if (!select.error().isEmpty() && error)
        *error = select.error();
    return counts;
}

} // namespace faultline
