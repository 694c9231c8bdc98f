#include "storage/postgres/pg_grouping_rule_store.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_event_mover.h"
#include "storage/postgres/pg_regrouper.h"
#include "storage/postgres/pg_rows_statement.h"
#include "storage/postgres/pg_transaction.h"

#include <QHash>
#include <QMap>

namespace faultline {

namespace {

struct RuleToRemove {
    QString kind;
    qint64 projectId = 0;
    qint64 fromIssue = 0; // a split's; 0 once that issue is gone
    QMap<qint64, QStringList> keysByIssue; // where the rule's keys are now (later merges may have moved them on)
};

PgResult<RuleToRemove> readRule(PgConnection &connection, qint64 ruleId)
{
    const auto rule = connection.exec(
        QStringLiteral("SELECT kind, project_id, coalesce(from_issue_id, 0) FROM grouping_rules WHERE id = $1"),
        { PgParam::integer(ruleId) });
    if (!rule)
        return rule.error();
    if (rule->rowCount() == 0)
        return pgRefusal(QStringLiteral("no grouping rule %1").arg(ruleId));
    RuleToRemove read { rule->text(0, 0), rule->int64(0, 1), rule->int64(0, 2), {} };
    const auto holders = connection.exec(
        QStringLiteral("SELECT k.issue_id, k.hash FROM grouping_rule_keys r JOIN grouping_keys k "
                       "ON k.project_id = $1 AND k.hash = r.hash WHERE r.rule_id = $2 ORDER BY k.issue_id, k.id"),
        { PgParam::integer(read.projectId), PgParam::integer(ruleId) });
    if (!holders)
        return holders.error();
    for (int row = 0; row < holders->rowCount(); ++row)
        read.keysByIssue[holders->int64(row, 0)].append(holders->text(row, 1));
    return read;
}

// The keys `hashes` of `fromIssue` with their events to `*toIssue` (0: a new
// issue, returned there), as GroupingRules::moveKeys does on SQLite.
PgStatus moveKeys(PgConnection &connection, qint64 fromIssue, const QStringList &hashes, const QString &linkedBy,
    qint64 *toIssue, qint64 *moved)
{
    const auto keys = connection.exec(
        QStringLiteral("SELECT id FROM grouping_keys WHERE issue_id = $1 AND hash = ANY($2::text[]) ORDER BY id"),
        { PgParam::integer(fromIssue), pgTextArray(hashes) });
    if (!keys)
        return keys.error();
    if (keys->rowCount() != hashes.size())
        return PgError { PgError::Kind::Conflict, {}, QStringLiteral("a grouping key moved meanwhile") };
    QList<qint64> keyIds;
    for (int row = 0; row < keys->rowCount(); ++row)
        keyIds.append(keys->int64(row, 0));
    PgEventMover mover(connection);
    const bool fresh = *toIssue == 0;
    if (fresh) {
        const PgResult<qint64> created = mover.createIssue(fromIssue);
        if (!created)
            return created.error();
        *toIssue = created.value();
    }
    const auto linked = connection.exec(
        QStringLiteral("UPDATE grouping_keys SET issue_id = $1, linked_by = $2 WHERE id = ANY($3::bigint[])"),
        { PgParam::integer(*toIssue), PgParam::text(linkedBy), pgIntegerArray(keyIds) });
    if (!linked)
        return linked.error();
    if (PgStatus released = mover.releaseFingerprint(fromIssue); !released)
        return released;
    return mover.moveKeyEvents(fromIssue, keyIds, *toIssue, fresh, moved);
}

} // namespace

QList<GroupingRule> PgGroupingRuleStore::forProject(qint64 projectId, QString *error) const
{
    const PgParams project { PgParam::integer(projectId) };
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT id, kind, coalesce(issue_id, 0), coalesce(from_issue_id, 0), description, created_ms "
                       "FROM grouping_rules WHERE project_id = $1 ORDER BY id DESC"),
        project);
    // The keys in the order SQLite's primary key (rule_id, hash) lists them.
    const auto keys = rows ? m_connection.exec(QStringLiteral("SELECT k.rule_id, k.hash FROM grouping_rule_keys k "
                                                              "JOIN grouping_rules r ON r.id = k.rule_id "
                                                              "WHERE r.project_id = $1 ORDER BY k.rule_id, k.hash"),
                          project)
                           : rows;
    if (!keys) {
        if (error)
            *error = keys.error().message;
        return {};
    }
    QHash<qint64, QStringList> hashes;
    for (int row = 0; row < keys->rowCount(); ++row)
        hashes[keys->int64(row, 0)].append(keys->text(row, 1));
    QList<GroupingRule> rules;
    for (int row = 0; row < rows->rowCount(); ++row)
        rules.append(GroupingRule { rows->int64(row, 0), projectId, rows->text(row, 1), rows->int64(row, 2),
            rows->int64(row, 3), hashes.value(rows->int64(row, 0)), rows->text(row, 4), rows->int64(row, 5) });
    return rules;
}

bool PgGroupingRuleStore::remove(qint64 ruleId, QString *done, QString *error)
{
    const auto said = inPgTransaction(m_connection, error, [&](PgError *failure) -> std::optional<QStringList> {
        const PgResult<RuleToRemove> rule = readRule(m_connection, ruleId);
        if (!rule)
            return *failure = rule.error(), std::nullopt;
        QList<qint64> issues = rule->keysByIssue.keys();
        if (rule->fromIssue)
            issues.append(rule->fromIssue);
        // Locked, then read again: a merge that committed meanwhile may have moved a key on.
        PgStatus locked = lockIssuesInOrder(m_connection, issues);
        const PgResult<RuleToRemove> now
            = locked ? readRule(m_connection, ruleId) : PgResult<RuleToRemove>(locked.error());
        if (!now)
            return *failure = now.error(), std::nullopt;
        if (now->keysByIssue.keys() != rule->keysByIssue.keys())
            return *failure
                   = PgError { PgError::Kind::Conflict, {}, QStringLiteral("the rule's keys moved meanwhile") },
                   std::nullopt;
        const bool split = now->kind == u"split";
        QStringList lines;
        for (auto it = now->keysByIssue.cbegin(); it != now->keysByIssue.cend(); ++it) {
            qint64 to = split ? now->fromIssue : 0;
            if (to == it.key())
                continue;
            if (split && to == 0) {
                lines.append(QStringLiteral("the issue it was split from is gone; #%1 stays as it is").arg(it.key()));
                continue;
            }
            qint64 moved = 0;
            if (PgStatus step = moveKeys(m_connection, it.key(), it.value(),
                    split ? QStringLiteral("merge") : QStringLiteral("split"), &to, &moved);
                !step)
                return *failure = step.error(), std::nullopt;
            lines.append(split ? QStringLiteral("%1 events back into #%2").arg(moved).arg(to)
                               : QStringLiteral("%1 events out of #%2 into #%3").arg(moved).arg(it.key()).arg(to));
        }
        const auto removed = m_connection.exec(
            QStringLiteral("DELETE FROM grouping_rules WHERE id = $1"), { PgParam::integer(ruleId) });
        if (!removed)
            return *failure = removed.error(), std::nullopt;
        return lines;
    });
    if (!said)
        return false;
    if (done)
        *done = said->isEmpty() ? QStringLiteral("rule removed") : said->join(QStringLiteral("; "));
    return true;
}

RegroupReport PgGroupingRuleStore::regroup(qint64 projectId, const RegroupProgress &progress)
{
    return PgRegrouper(m_connection).run(projectId, progress);
}

} // namespace faultline
