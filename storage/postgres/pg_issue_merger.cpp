#include "storage/postgres/pg_issue_merger.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_event_mover.h"
#include "storage/postgres/pg_issue_reader.h"
#include "storage/postgres/pg_rows_statement.h"
#include "storage/postgres/pg_transaction.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

namespace {

PgError refusal(const QString &why) { return pgRefusal(why); }

// Locked until the transaction ends, in id order as the collectors lock them;
// unknown ids are the merge's to refuse.
PgStatus lockIssues(PgConnection &connection, const QList<qint64> &issueIds)
{
    QList<qint64> present;
    return lockIssuesInOrder(connection, issueIds, &present);
}

PgResult<qint64> insertRule(PgConnection &connection, const GroupingRule &rule)
{
    const auto optionalId = [](qint64 id) { return id > 0 ? PgParam::integer(id) : PgParam::null(); };
    const auto inserted = connection.exec(
        QStringLiteral("INSERT INTO grouping_rules(project_id, kind, issue_id, from_issue_id, description, created_ms) "
                       "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"),
        { PgParam::integer(rule.projectId), PgParam::text(rule.kind), optionalId(rule.issueId),
            optionalId(rule.fromIssueId), PgParam::text(rule.description), PgParam::integer(rule.createdMs) });
    if (!inserted)
        return inserted.error();
    const qint64 id = inserted->int64(0, 0);
    PgRowsStatement keys(QStringLiteral("INSERT INTO grouping_rule_keys(rule_id, hash) VALUES"),
        QStringLiteral(" ON CONFLICT DO NOTHING"), 2);
    for (const QString &hash : rule.hashes)
        keys.addRow({ PgParam::integer(id), PgParam::text(hash) });
    if (!keys.isEmpty())
        if (auto added = keys.exec(connection); !added)
            return added.error();
    return id;
}

// The statements of a merge once its plan is made: the merged issues' facet
// counters added to the survivor's, their keys, events and rules handed over,
// the issues deleted, the survivor's row written. Returns the events moved.
PgResult<qint64> carryOut(PgConnection &connection, const MergePlan &plan)
{
    const IssueRow &survivor = plan.survivor;
    const PgParam target = PgParam::integer(survivor.id);
    const PgParam merged = pgIntegerArray(plan.mergedIds);
    // The earliest issue's first title, read before it may be deleted.
    const auto first = connection.exec(QStringLiteral("SELECT first_title, first_culprit FROM issues WHERE id = $1"),
        { PgParam::integer(plan.earliestId) });
    if (!first || first->rowCount() == 0)
        return first ? refusal(QStringLiteral("no issue %1").arg(plan.earliestId)) : first.error();
    // One issue at a time: an upsert may not touch the same facet row twice in one statement.
    for (qint64 id : plan.mergedIds) {
        const auto facets = connection.exec(
            QStringLiteral(
                "INSERT INTO issue_facets(issue_id, key, value, events, first_seen_ms, last_seen_ms) "
                "SELECT $1, key, value, events, first_seen_ms, last_seen_ms FROM issue_facets WHERE issue_id = $2 "
                "ON CONFLICT (issue_id, key, value) DO UPDATE SET events = issue_facets.events + EXCLUDED.events, "
                "first_seen_ms = CASE WHEN issue_facets.first_seen_ms = 0 THEN EXCLUDED.first_seen_ms "
                "WHEN EXCLUDED.first_seen_ms = 0 THEN issue_facets.first_seen_ms "
                "ELSE least(issue_facets.first_seen_ms, EXCLUDED.first_seen_ms) END, "
                "last_seen_ms = greatest(issue_facets.last_seen_ms, EXCLUDED.last_seen_ms)"),
            { target, PgParam::integer(id) });
        if (!facets)
            return facets.error();
    }
    const auto keys = connection.exec(
        QStringLiteral(
            "UPDATE grouping_keys SET issue_id = $1, linked_by = 'merge' WHERE issue_id = ANY($2::bigint[])"),
        { target, merged });
    if (!keys)
        return keys.error();
    const auto events = connection.exec(
        QStringLiteral("UPDATE events SET issue_id = $1 WHERE issue_id = ANY($2::bigint[])"), { target, merged });
    if (!events)
        return events.error();
    // Earlier rules that led to a merged issue now lead to the survivor.
    for (const char *sql : { "UPDATE grouping_rules SET issue_id = $1 WHERE issue_id = ANY($2::bigint[])",
             "DELETE FROM issues WHERE id = ANY($2::bigint[]) AND id <> $1" }) {
        if (auto done = connection.exec(QString::fromLatin1(sql), { target, merged }); !done)
            return done.error();
    }
    const auto written = connection.exec(
        QStringLiteral("UPDATE issues SET count = $2, first_seen_ms = $3, last_seen_ms = $4, level = $5, "
                       "unhandled = $6, title = $7, culprit = $8, ignore_until_count = $9, first_title = $10, "
                       "first_culprit = $11 WHERE id = $1"),
        { target, PgParam::integer(survivor.count), PgParam::integer(survivor.firstSeenMs),
            PgParam::integer(survivor.lastSeenMs), PgParam::text(survivor.level),
            PgParam::integer(survivor.unhandled ? 1 : 0), PgParam::text(survivor.title),
            PgParam::text(survivor.culprit), PgParam::integer(survivor.ignoreUntilCount),
            PgParam::text(first->text(0, 0)), PgParam::text(first->text(0, 1)) });
    if (!written)
        return written.error();
    return events->affectedRows();
}

} // namespace

std::optional<MergeOutcome> PgIssueMerger::merge(
    const QList<qint64> &issueIds, qint64 into, qint64 nowMs, QString *error)
{
    return inPgTransaction(m_connection, error, [&](PgError *failure) -> std::optional<MergeOutcome> {
        if (PgStatus locked = lockIssues(m_connection, issueIds); !locked)
            return *failure = locked.error(), std::nullopt;
        const PgIssueReader reader(m_connection);
        QString refused;
        const auto issues = issuesToMerge(
            issueIds, [&](qint64 id) { return reader.byId(id); }, &refused);
        const std::optional<MergePlan> plan = issues ? planMerge(*issues, into, &refused) : std::nullopt;
        if (!plan)
            return *failure = refusal(refused), std::nullopt;

        GroupingRule rule;
        rule.projectId = plan->survivor.projectId;
        rule.kind = QStringLiteral("merge");
        rule.issueId = plan->survivor.id;
        rule.createdMs = nowMs;
        rule.description = plan->description;
        // The keys the merged issues bring, issue by issue as given, each oldest first.
        for (qint64 id : plan->mergedIds) {
            const auto hashes
                = m_connection.exec(QStringLiteral("SELECT hash FROM grouping_keys WHERE issue_id = $1 ORDER BY id"),
                    { PgParam::integer(id) });
            if (!hashes)
                return *failure = hashes.error(), std::nullopt;
            for (int row = 0; row < hashes->rowCount(); ++row)
                rule.hashes.append(hashes->text(row, 0));
        }
        MergeOutcome outcome;
        outcome.survivorId = plan->survivor.id;
        outcome.mergedIds = plan->mergedIds;
        const PgResult<qint64> ruleId = insertRule(m_connection, rule);
        const PgResult<qint64> moved = ruleId ? carryOut(m_connection, *plan) : PgResult<qint64>(ruleId.error());
        if (!moved)
            return *failure = moved.error(), std::nullopt;
        outcome.ruleId = ruleId.value();
        outcome.eventsMoved = moved.value();
        return outcome;
    });
}

std::optional<SplitOutcome> PgIssueMerger::split(qint64 issueId, const QString &hash, qint64 nowMs, QString *error)
{
    return inPgTransaction(m_connection, error, [&](PgError *failure) -> std::optional<SplitOutcome> {
        if (PgStatus locked = lockIssues(m_connection, { issueId }); !locked)
            return *failure = locked.error(), std::nullopt;
        const StorageResult<IssueRow> issue = PgIssueReader(m_connection).byId(issueId);
        if (!issue)
            return *failure = refusal(issueReadFailure(issue.error(), issueId)), std::nullopt;
        QString readError;
        const QList<StoredGroupingKey> issueKeys = keys(issueId, &readError);
        const QHash<qint64, qint64> perKey
            = readError.isEmpty() ? eventsPerKey(issueId, &readError) : QHash<qint64, qint64>();
        if (!readError.isEmpty())
            return *failure = refusal(readError), std::nullopt;
        QString refused;
        const std::optional<StoredGroupingKey> key = keyToSplit(*issue, hash, issueKeys, perKey, &refused);
        if (!key)
            return *failure = refusal(refused), std::nullopt;

        PgEventMover mover(m_connection);
        SplitOutcome outcome;
        const PgResult<qint64> created = mover.createIssue(issueId);
        if (!created)
            return *failure = created.error(), std::nullopt;
        outcome.newIssueId = created.value();
        const auto linked = m_connection.exec(
            QStringLiteral("UPDATE grouping_keys SET issue_id = $2, linked_by = 'split' WHERE id = $1"),
            { PgParam::integer(key->id), PgParam::integer(outcome.newIssueId) });
        if (!linked)
            return *failure = linked.error(), std::nullopt;
        PgStatus moved = mover.releaseFingerprint(issueId);
        if (moved)
            moved = mover.moveKeyEvents(issueId, { key->id }, outcome.newIssueId, true, &outcome.eventsMoved);
        if (!moved)
            return *failure = moved.error(), std::nullopt;

        GroupingRule rule;
        rule.projectId = issue->projectId;
        rule.kind = QStringLiteral("split");
        rule.issueId = outcome.newIssueId;
        rule.fromIssueId = issueId;
        rule.hashes = { key->hash };
        rule.createdMs = nowMs;
        rule.description = splitDescription(outcome.newIssueId, key->hash, *issue);
        const PgResult<qint64> ruleId = insertRule(m_connection, rule);
        if (!ruleId)
            return *failure = ruleId.error(), std::nullopt;
        outcome.ruleId = ruleId.value();
        return outcome;
    });
}

QList<StoredGroupingKey> PgIssueMerger::keys(qint64 issueId, QString *error) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT id, issue_id, hash, strategy, linked_by, explanation FROM grouping_keys "
                       "WHERE issue_id = $1 ORDER BY id"),
        { PgParam::integer(issueId) });
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return {};
    }
    QList<StoredGroupingKey> keys;
    for (int row = 0; row < rows->rowCount(); ++row) {
        StoredGroupingKey key { rows->int64(row, 0), rows->int64(row, 1), rows->text(row, 2), rows->text(row, 3),
            rows->text(row, 4), {} };
        if (const QByteArray json = rows->bytes(row, 5); !json.isEmpty())
            key.explanation = groupingExplanationFromJson(QJsonDocument::fromJson(json).object());
        if (key.explanation.strategy.isEmpty())
            key.explanation.strategy = key.strategy;
        keys.append(key);
    }
    return keys;
}

QHash<qint64, qint64> PgIssueMerger::eventsPerKey(qint64 issueId, QString *error) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT grouping_key_id, count(*) FROM events WHERE issue_id = $1 AND grouping_key_id IS NOT "
                       "NULL GROUP BY grouping_key_id"),
        { PgParam::integer(issueId) });
    if (!rows) {
        if (error)
            *error = rows.error().message;
        return {};
    }
    QHash<qint64, qint64> counts;
    for (int row = 0; row < rows->rowCount(); ++row)
        counts.insert(rows->int64(row, 0), rows->int64(row, 1));
    return counts;
}

} // namespace faultline
