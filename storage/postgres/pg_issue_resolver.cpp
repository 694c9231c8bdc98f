#include "storage/postgres/pg_issue_resolver.h"

#include "model/grouping.h"
#include "model/grouping_explanation.h"
#include "model/issue_rollup.h"
#include "model/release_order.h"
#include "storage/issue_status.h"
#include "storage/postgres/pg_rows_statement.h"
#include "storage/postgres/pg_transaction.h"

#include <QJsonDocument>

#include <algorithm>

namespace faultline {

namespace {

PgParam flag(bool value) { return PgParam::text(QByteArray(value ? "t" : "f")); }

} // namespace

PgIssueResolver::PgIssueResolver(PgConnection &connection)
    : m_connection(connection)
{
}

PgResult<QList<ResolvedEvent>> PgIssueResolver::assign(const QList<const IncomingEvent *> &events)
{
    m_events = events;
    m_knownIssueOfEvent.clear();
    m_known.clear();
    m_touched.clear();
    m_groups.clear();
    m_keysToRecord.clear();
    m_linkTargets.clear();
    QList<KeyRef> wanted;
    for (const IncomingEvent *incoming : events) {
        wanted.append({ incoming->projectId, incoming->issue.fingerprint });
        if (!incoming->issue.legacyFingerprint.isEmpty())
            wanted.append({ incoming->projectId, incoming->issue.legacyFingerprint });
    }
    if (PgStatus looked = lookUpKeys(wanted); !looked)
        return looked.error();

    // Which issue each event goes to: its key's, its v1 key's (and the key is
    // linked there), or a new fingerprint's.
    for (const IncomingEvent *incoming : events) {
        const KeyRef key { incoming->projectId, incoming->issue.fingerprint };
        qint64 issueId = 0;
        if (auto known = m_known.constFind(key); known != m_known.cend()) {
            issueId = known->issueId;
        } else if (auto legacy = m_known.constFind({ incoming->projectId, incoming->issue.legacyFingerprint });
                   !incoming->issue.legacyFingerprint.isEmpty() && legacy != m_known.cend()) {
            issueId = legacy->issueId;
            if (!m_keysToRecord.contains(key)) {
                m_keysToRecord.insert(key, { incoming, QStringLiteral("v1") });
                m_linkTargets.insert(key, issueId);
            }
        } else {
            NewGroup &group = m_groups[key];
            if (!group.first) {
                group.first = incoming;
                group.level = incoming->event.level;
                group.firstSeenMs = group.lastSeenMs = incoming->columns.receivedMs;
                m_keysToRecord.insert(key, { incoming, QStringLiteral("created") });
            }
            group.latest = incoming;
            group.level = moreSevereLevel(group.level, incoming->event.level);
            group.firstSeenMs = std::min(group.firstSeenMs, incoming->columns.receivedMs);
            group.lastSeenMs = std::max(group.lastSeenMs, incoming->columns.receivedMs);
            group.unhandled = group.unhandled || isUnhandled(incoming->event);
            ++group.count;
        }
        if (issueId != 0)
            m_touched.insert(issueId, {});
        m_knownIssueOfEvent.append(issueId);
    }

    if (PgStatus shared = shareKnownIssues(); !shared)
        return shared.error();
    if (PgStatus stayed = confirmKeysStayed(); !stayed)
        return stayed.error();
    if (PgStatus created = createNewIssues(); !created)
        return created.error();
    if (PgStatus recorded = recordKeys(); !recorded)
        return recorded.error();
    // A fingerprint another writer created meanwhile: its issue is known now.
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (m_knownIssueOfEvent[i] != 0)
            continue;
        const NewGroup &group = m_groups.value({ events[i]->projectId, events[i]->issue.fingerprint });
        if (!group.created) {
            m_knownIssueOfEvent[i] = group.issueId;
            if (!m_touched.contains(group.issueId))
                m_touched.insert(group.issueId, {});
        }
    }

    QList<ResolvedEvent> resolved(events.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        const IncomingEvent &incoming = *events[i];
        const KeyRef key { incoming.projectId, incoming.issue.fingerprint };
        if (m_knownIssueOfEvent[i] != 0) {
            resolved[i].issueId = m_knownIssueOfEvent[i];
        } else {
            const NewGroup &group = m_groups.value(key);
            resolved[i].issueId = group.issueId;
            resolved[i].newIssue = group.created && group.first == &incoming;
        }
        resolved[i].keyId = m_known.value(key).keyId;
    }
    return resolved;
}

PgStatus PgIssueResolver::settle(QList<ResolvedEvent> &resolved, const QList<qint64> &eventRows)
{
    if (PgStatus locked = lockKnownIssues(); !locked)
        return locked;
    for (qsizetype i = 0; i < m_events.size(); ++i) {
        if (m_knownIssueOfEvent[i] == 0)
            continue;
        if (PgStatus evaluated = evaluate(m_knownIssueOfEvent[i], *m_events[i], eventRows, &resolved[i]); !evaluated)
            return evaluated;
    }
    return updateKnownIssues();
}

PgStatus PgIssueResolver::lookUpKeys(const QList<KeyRef> &keys)
{
    PgRowsStatement lookup(QStringLiteral("SELECT k.project_id, k.hash, k.id, k.issue_id FROM grouping_keys k "
                                          "JOIN (VALUES"),
        QStringLiteral(") v(p, h) ON k.project_id = v.p AND k.hash = v.h"), 2,
        { QStringLiteral("::bigint"), QStringLiteral("::text") });
    for (const KeyRef &key : keys)
        lookup.addRow({ PgParam::integer(key.first), PgParam::text(key.second) });
    if (lookup.isEmpty())
        return PgDone {};
    auto found = lookup.exec(m_connection);
    if (!found)
        return found.error();
    for (const PgRows &rows : found.value())
        for (int row = 0; row < rows.rowCount(); ++row)
            m_known.insert({ rows.int64(row, 0), rows.text(row, 1) }, { rows.int64(row, 2), rows.int64(row, 3) });
    return PgDone {};
}

// Shared row locks, as the events' foreign key takes them: other writers'
// batches go on (their share locks and updates do not conflict with these),
// while a merge, split or deletion, which locks its issues FOR UPDATE, waits
// for this batch's commit or, having committed first, is seen here.
PgStatus PgIssueResolver::shareKnownIssues()
{
    return lockIssuesInOrder(m_connection, m_touched.keys(), nullptr, IssueRowLock::ForKeyShare);
}

// A merge or split that committed between the key lookup and the locks moved a
// key this batch read, so its events would land in the issue the key left. A
// merge or split locks the issue it takes keys from first, so with those locks
// held the keys stay put: read them once more and start over if one moved.
// Only keys into a locked issue: the locks say nothing about the others (a
// legacy key looked up but not used), and their moving changes nothing here.
PgStatus PgIssueResolver::confirmKeysStayed()
{
    QList<qint64> keyIds;
    for (const Known &known : std::as_const(m_known))
        if (m_touched.contains(known.issueId))
            keyIds.append(known.keyId);
    if (keyIds.isEmpty())
        return PgDone {};
    auto rows = m_connection.exec(QStringLiteral("SELECT id, issue_id FROM grouping_keys WHERE id = ANY($1::bigint[])"),
        { pgIntegerArray(keyIds) });
    if (!rows)
        return rows.error();
    QHash<qint64, qint64> issueOfKey;
    for (int row = 0; row < rows->rowCount(); ++row)
        issueOfKey.insert(rows->int64(row, 0), rows->int64(row, 1));
    for (const Known &known : std::as_const(m_known))
        if (m_touched.contains(known.issueId) && issueOfKey.value(known.keyId) != known.issueId)
            return PgError { PgError::Kind::Conflict, {},
                QStringLiteral("a grouping key moved to another issue while events arrived") };
    return PgDone {};
}

// Row locks in id order, held until commit: two writers touching the same
// issues take them in the same order, so they queue instead of deadlocking.
// FOR NO KEY UPDATE, as an UPDATE of the counters would take: the share locks
// of other writers' foreign keys do not wait for it.
PgStatus PgIssueResolver::lockKnownIssues()
{
    if (m_touched.isEmpty())
        return PgDone {};
    QList<qint64> ids = m_touched.keys();
    std::sort(ids.begin(), ids.end());
    auto rows = m_connection.exec(
        QStringLiteral("SELECT id, status, level, count, substatus, resolved_after_release, ignore_until_ms, "
                       "ignore_until_count, ignore_baseline, unhandled FROM issues WHERE id = ANY($1::bigint[]) "
                       "ORDER BY id FOR NO KEY UPDATE"),
        { pgIntegerArray(ids) });
    if (!rows)
        return rows.error();
    if (rows->rowCount() != ids.size()) // shareKnownIssues() keeps them: a broken promise, not a race
        return PgError { PgError::Kind::Query, {}, QStringLiteral("a share-locked issue went missing") };
    for (int row = 0; row < rows->rowCount(); ++row) {
        Touched &issue = m_touched[rows->int64(row, 0)];
        issue.workflow.status = rows->text(row, 1);
        issue.level = rows->text(row, 2);
        issue.workflow.storedCount = rows->int64(row, 3);
        issue.workflow.substatus = rows->text(row, 4);
        issue.workflow.resolvedAfterRelease = rows->text(row, 5);
        issue.workflow.ignoreUntilMs = rows->int64(row, 6);
        issue.workflow.ignoreUntilCount = rows->int64(row, 7);
        issue.workflow.ignoreBaseline = rows->int64(row, 8);
        issue.unhandled = rows->int64(row, 9) != 0;
    }
    return PgDone {};
}

// The conditions of storage/issue_status.h, event by event (judgeArrival, as
// for SQLite), and the row's other columns brought up to date.
PgStatus PgIssueResolver::evaluate(
    qint64 issueId, const IncomingEvent &incoming, const QList<qint64> &eventRows, ResolvedEvent *resolved)
{
    Touched &issue = m_touched[issueId];
    const Event &event = incoming.event;
    const qint64 receivedMs = incoming.columns.receivedMs;
    PgError countError;
    // The batch's events are inserted before they are judged: the events
    // stored before it and this batch's earlier ones are counted apart. Events
    // received after this one count too: another writer's batch (a second lane
    // or collector) may have committed them first, and an escalation the two
    // batches make together must not be missed by both.
    auto countLastHour = [&]() -> std::optional<qint64> {
        auto stored = m_connection.exec(QStringLiteral("SELECT count(*) FROM events WHERE issue_id = $1 AND "
                                                       "received_ms > $2 AND id <> ALL($3::bigint[])"),
            { PgParam::integer(issueId), PgParam::integer(receivedMs - kEscalationWindowMs),
                pgIntegerArray(eventRows) });
        if (!stored) {
            countError = stored.error();
            return std::nullopt;
        }
        const qint64 earlierInBatch = std::count_if(issue.receivedInBatch.cbegin(), issue.receivedInBatch.cend(),
            [&](qint64 ms) { return ms > receivedMs - kEscalationWindowMs && ms <= receivedMs; });
        return stored->int64(0, 0) + earlierInBatch;
    };
    const std::optional<WorkflowChange> change
        = judgeArrival(issue.workflow, event.release, receivedMs, issue.newEvents, countLastHour);
    if (!change)
        return countError;
    resolved->regression = *change == WorkflowChange::Regressed;
    resolved->escalation = *change == WorkflowChange::Escalated;
    issue.unhandled = issue.unhandled || isUnhandled(event);
    issue.level = moreSevereLevel(issue.level, event.level);
    issue.firstSeenMs = issue.newEvents == 0 ? receivedMs : std::min(issue.firstSeenMs, receivedMs);
    issue.lastSeenMs = std::max(issue.lastSeenMs, receivedMs);
    // Events arrive in order: the batch's last is its latest. Another lane's
    // batch of later events may have committed first: the update keeps its title then.
    issue.title = incoming.issue.title;
    issue.culprit = incoming.issue.culprit;
    issue.receivedInBatch.append(receivedMs);
    ++issue.newEvents;
    return PgDone {};
}

PgStatus PgIssueResolver::updateKnownIssues()
{
    PgRowsStatement update(
        QStringLiteral("UPDATE issues SET count = issues.count + v.n, "
                       "last_seen_ms = greatest(issues.last_seen_ms, v.last_seen), "
                       "first_seen_ms = least(issues.first_seen_ms, v.first_seen), "
                       "level = v.level, status = v.status, "
                       "regressed = CASE WHEN v.regressed THEN 1 ELSE issues.regressed END, "
                       "title = CASE WHEN v.last_seen >= issues.last_seen_ms THEN v.title ELSE issues.title END, "
                       "culprit = CASE WHEN v.last_seen >= issues.last_seen_ms THEN v.culprit "
                       "ELSE issues.culprit END, "
                       "substatus = CASE WHEN v.changed THEN v.substatus ELSE issues.substatus END, "
                       "resolved_after_release = CASE WHEN v.changed THEN '' "
                       "ELSE issues.resolved_after_release END, "
                       "ignore_until_ms = CASE WHEN v.changed THEN 0 ELSE issues.ignore_until_ms END, "
                       "ignore_until_count = CASE WHEN v.changed THEN 0 "
                       "ELSE issues.ignore_until_count END, "
                       "ignore_baseline = CASE WHEN v.changed THEN 0 ELSE issues.ignore_baseline END, "
                       "unhandled = greatest(issues.unhandled, v.unhandled) FROM (VALUES"),
        QStringLiteral(") v(id, n, last_seen, first_seen, level, status, regressed, title, culprit, changed, "
                       "substatus, unhandled) WHERE issues.id = v.id"),
        12,
        { QStringLiteral("::bigint"), QStringLiteral("::bigint"), QStringLiteral("::bigint"),
            QStringLiteral("::bigint"), QStringLiteral("::text"), QStringLiteral("::text"), QStringLiteral("::boolean"),
            QStringLiteral("::text"), QStringLiteral("::text"), QStringLiteral("::boolean"), QStringLiteral("::text"),
            QStringLiteral("::integer") });
    for (auto it = m_touched.cbegin(); it != m_touched.cend(); ++it) {
        const Touched &issue = *it;
        update.addRow({ PgParam::integer(it.key()), PgParam::integer(issue.newEvents),
            PgParam::integer(issue.lastSeenMs), PgParam::integer(issue.firstSeenMs), PgParam::text(issue.level),
            PgParam::text(issue.workflow.status), flag(issue.workflow.regressed), PgParam::text(issue.title),
            PgParam::text(issue.culprit), flag(issue.workflow.statusChanged), PgParam::text(issue.workflow.substatus),
            PgParam::integer(issue.unhandled ? 1 : 0) });
    }
    if (update.isEmpty())
        return PgDone {};
    auto updated = update.exec(m_connection);
    return updated ? PgStatus(PgDone {}) : PgStatus(updated.error());
}

// New fingerprints in (project, fingerprint) order, the order every writer
// takes their rows in. When another writer created the same issue meanwhile,
// ON CONFLICT waits for its commit and leaves the row alone: the issue is
// share-locked (shareIssuesMadeElsewhere) and its events are judged and
// counted as a known issue's by settle(), so its row is locked for update only
// there, as every issue is.
PgStatus PgIssueResolver::createNewIssues()
{
    if (m_groups.isEmpty())
        return PgDone {};
    QList<KeyRef> keys = m_groups.keys();
    std::sort(keys.begin(), keys.end());
    PgRowsStatement insert(
        QStringLiteral("INSERT INTO issues(project_id, fingerprint, title, culprit, first_title, "
                       "first_culprit, level, count, first_seen_ms, last_seen_ms, unhandled) VALUES"),
        QStringLiteral(" ON CONFLICT (project_id, fingerprint) DO NOTHING RETURNING id, project_id, fingerprint"), 11);
    for (const KeyRef &key : keys) {
        const NewGroup &group = m_groups[key];
        insert.addRow({ PgParam::integer(key.first), PgParam::text(key.second),
            PgParam::text(group.latest->issue.title), PgParam::text(group.latest->issue.culprit),
            PgParam::text(group.first->issue.title), PgParam::text(group.first->issue.culprit),
            PgParam::text(group.level), PgParam::integer(group.count), PgParam::integer(group.firstSeenMs),
            PgParam::integer(group.lastSeenMs), PgParam::integer(group.unhandled ? 1 : 0) });
    }
    auto inserted = insert.exec(m_connection);
    if (!inserted)
        return inserted.error();
    for (const PgRows &rows : inserted.value()) {
        for (int row = 0; row < rows.rowCount(); ++row) {
            NewGroup &group = m_groups[{ rows.int64(row, 1), rows.text(row, 2) }];
            group.issueId = rows.int64(row, 0);
            group.created = true;
        }
    }
    return shareIssuesMadeElsewhere(keys);
}

PgStatus PgIssueResolver::shareIssuesMadeElsewhere(const QList<KeyRef> &keys)
{
    PgRowsStatement existing(QStringLiteral("SELECT i.id, i.project_id, i.fingerprint FROM issues i JOIN (VALUES"),
        QStringLiteral(") v(p, f) ON i.project_id = v.p AND i.fingerprint = v.f ORDER BY i.id FOR KEY SHARE OF i"), 2,
        { QStringLiteral("::bigint"), QStringLiteral("::text") });
    for (const KeyRef &key : keys)
        if (!m_groups[key].created)
            existing.addRow({ PgParam::integer(key.first), PgParam::text(key.second) });
    if (existing.isEmpty())
        return PgDone {};
    auto found = existing.exec(m_connection);
    if (!found)
        return found.error();
    for (const PgRows &rows : found.value())
        for (int row = 0; row < rows.rowCount(); ++row)
            m_groups[{ rows.int64(row, 1), rows.text(row, 2) }].issueId = rows.int64(row, 0);
    for (const KeyRef &key : keys)
        if (m_groups[key].issueId == 0) // created and deleted again since the insert waited
            return PgError { PgError::Kind::Conflict, {}, QStringLiteral("an issue was deleted while events arrived") };
    return PgDone {};
}

// Keys of new issues and keys linked through the v1 key. A key another
// writer recorded meanwhile is kept (ON CONFLICT DO NOTHING) and read back.
PgStatus PgIssueResolver::recordKeys()
{
    if (m_keysToRecord.isEmpty())
        return PgDone {};
    QList<KeyRef> keys = m_keysToRecord.keys();
    std::sort(keys.begin(), keys.end());
    PgRowsStatement insert(QStringLiteral("INSERT INTO grouping_keys(project_id, hash, issue_id, strategy, "
                                          "explanation, linked_by) VALUES"),
        QStringLiteral(" ON CONFLICT (project_id, hash) DO NOTHING RETURNING project_id, hash, id, issue_id"), 6);
    for (const KeyRef &key : keys) {
        const KeyToRecord &record = m_keysToRecord[key];
        const qint64 issueId = m_linkTargets.contains(key) ? m_linkTargets[key] : m_groups[key].issueId;
        // Written once per key, so the explanation is worked out here, not for every event.
        const GroupingExplanation explained = explanationOf(record.incoming->issue, record.incoming->event);
        const QByteArray explanation = QJsonDocument(toJson(explained)).toJson(QJsonDocument::Compact);
        insert.addRow({ PgParam::integer(key.first), PgParam::text(key.second), PgParam::integer(issueId),
            PgParam::text(explained.strategy), PgParam::text(explanation), PgParam::text(record.linkedBy) });
    }
    auto inserted = insert.exec(m_connection);
    if (!inserted)
        return inserted.error();
    for (const PgRows &rows : inserted.value())
        for (int row = 0; row < rows.rowCount(); ++row)
            m_known.insert({ rows.int64(row, 0), rows.text(row, 1) }, { rows.int64(row, 2), rows.int64(row, 3) });
    QList<KeyRef> recordedElsewhere;
    for (const KeyRef &key : keys)
        if (!m_known.contains(key))
            recordedElsewhere.append(key);
    if (PgStatus looked = lookUpKeys(recordedElsewhere); !looked)
        return looked;
    // Another writer's key may lead to another issue than this batch counted
    // the events into (a re-grouping linked it to an issue of its own): the
    // batch is written again and then finds the key, so events stay where their key leads.
    for (const KeyRef &key : std::as_const(recordedElsewhere)) {
        const qint64 counted = m_linkTargets.contains(key) ? m_linkTargets[key] : m_groups[key].issueId;
        if (m_known.value(key).issueId != counted)
            return PgError { PgError::Kind::Conflict, {},
                QStringLiteral("grouping key %1 was recorded for another issue meanwhile").arg(key.second) };
    }
    return PgDone {};
}

} // namespace faultline
