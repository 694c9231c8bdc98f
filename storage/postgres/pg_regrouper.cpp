#include "storage/postgres/pg_regrouper.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_event_mover.h"
#include "storage/postgres/pg_query_params.h"
#include "storage/postgres/pg_rows_statement.h"
#include "storage/postgres/pg_transaction.h"
#include "storage/raw_codec.h"

#include <QHash>
#include <QJsonDocument>
#include <QMap>
#include <QSet>

#include <algorithm>

namespace faultline {

namespace {

constexpr int kAttemptsPerStep = 8; // a step runs again when a writer got in its way

using regrouping::Regrouped;
using regrouping::StoredKey;

// Where an event is now: its issue and the key it was grouped by.
struct Placed {
    qint64 issueId = 0;
    qint64 keyId = 0;
    QString rule; // "merge" | "split" when it reached its issue by a rule, else empty
    QString hash;
};

PgError conflict(const QString &why) { return PgError { PgError::Kind::Conflict, {}, why }; }

// One transaction's work: the step's events placed under their new keys.
class Step {
public:
    Step(PgConnection &connection, qint64 projectId, const QList<Regrouped> &events)
        : m_connection(connection)
        , m_projectId(projectId)
        , m_events(events)
    {
    }

    std::optional<RegroupReport> apply(PgError *failure)
    {
        PgStatus done = read();
        const QList<qint64> seen = done ? involvedIssues() : QList<qint64>();
        // Locked, then read again: what committed while this waited is what it decides on.
        if (done)
            done = lockIssuesInOrder(m_connection, seen);
        if (done)
            done = read();
        if (done && !std::all_of(m_placed.cbegin(), m_placed.cend(), [&](const Placed &placed) {
                return seen.contains(placed.issueId);
            }))
            done = conflict(QStringLiteral("events changed issues meanwhile"));
        if (done)
            done = readClaimedIssues(seen);
        RegroupReport report;
        if (done)
            done = decide(&report);
        if (done)
            done = carryOut(&report);
        if (!done)
            return *failure = done.error(), std::nullopt;
        return report;
    }

private:
    PgStatus read()
    {
        m_placed.clear();
        m_keys.clear();
        QList<qint64> rows;
        QStringList hashes;
        for (const Regrouped &event : m_events) {
            rows.append(event.row);
            hashes.append(event.key.fingerprint);
        }
        const auto placed = m_connection.exec(
            QStringLiteral("SELECT e.id, e.issue_id, coalesce(e.grouping_key_id, 0), coalesce(k.linked_by, ''), "
                           "coalesce(k.hash, '') FROM events e LEFT JOIN grouping_keys k ON k.id = e.grouping_key_id "
                           "WHERE e.project_id = $1 AND e.id = ANY($2::bigint[])"),
            { PgParam::integer(m_projectId), pgIntegerArray(rows) });
        if (!placed)
            return placed.error();
        for (int row = 0; row < placed->rowCount(); ++row) {
            const QString linkedBy = placed->text(row, 3);
            m_placed.insert(placed->int64(row, 0),
                Placed { placed->int64(row, 1), placed->int64(row, 2),
                    linkedBy == u"merge" || linkedBy == u"split" ? linkedBy : QString(), placed->text(row, 4) });
        }
        const auto keys = m_connection.exec(
            QStringLiteral(
                "SELECT hash, id, issue_id FROM grouping_keys WHERE project_id = $1 AND hash = ANY($2::text[])"),
            { PgParam::integer(m_projectId), pgTextArray(hashes) });
        if (!keys)
            return keys.error();
        for (int row = 0; row < keys->rowCount(); ++row)
            m_keys.insert(keys->text(row, 0), StoredKey { keys->int64(row, 1), keys->int64(row, 2) });
        return PgDone {};
    }

    QList<qint64> involvedIssues() const
    {
        QSet<qint64> issues;
        for (const Placed &placed : m_placed)
            issues.insert(placed.issueId);
        for (const StoredKey &key : m_keys)
            issues.insert(key.issueId);
        return QList<qint64>(issues.cbegin(), issues.cend());
    }

    // Issues that already hold a key of the current strategy of their own (not one a rule brought).
    PgStatus readClaimedIssues(const QList<qint64> &issues)
    {
        const auto rows = m_connection.exec(
            QStringLiteral("SELECT DISTINCT issue_id FROM grouping_keys WHERE issue_id = ANY($1::bigint[]) "
                           "AND strategy = $2 AND linked_by NOT IN ('merge', 'split')"),
            { pgIntegerArray(issues), PgParam::text(currentGroupingStrategy()) });
        if (!rows)
            return rows.error();
        m_claimed.clear();
        for (int row = 0; row < rows->rowCount(); ++row)
            m_claimed.insert(rows->int64(row, 0));
        return PgDone {};
    }

    // Where each event goes (storage/regrouper.h, rules 1 to 4); new keys and issues made.
    PgStatus decide(RegroupReport *report)
    {
        PgEventMover mover(m_connection);
        for (const Regrouped &event : m_events) {
            const auto placed = m_placed.constFind(event.row);
            if (placed == m_placed.cend())
                continue; // deleted meanwhile (retention)
            StoredKey target = m_keys.value(event.key.fingerprint);
            if (target.id == 0) {
                target.issueId = placed->issueId;
                if (placed->rule.isEmpty() && m_claimed.contains(placed->issueId)) {
                    // Rule 4: the old strategy had put two bugs together.
                    const PgResult<qint64> created = mover.createIssue(placed->issueId, event.key.fingerprint);
                    if (!created)
                        return created.error();
                    target.issueId = created.value();
                    m_fresh.insert(target.issueId);
                    ++report->newIssues;
                }
                // A key that follows a merged-in or split-off one belongs to that rule too.
                const QString linkedBy = !placed->rule.isEmpty() ? placed->rule
                    : m_fresh.contains(target.issueId)           ? QStringLiteral("created")
                                                                 : QStringLiteral("regroup");
                if (PgStatus inserted = insertKey(event.key, target.issueId, linkedBy, &target.id); !inserted)
                    return inserted;
                if (placed->rule.isEmpty() && event.key.explanation.strategy == currentGroupingStrategy())
                    m_claimed.insert(target.issueId);
                if (!placed->rule.isEmpty())
                    if (PgStatus extended = extendRule(event.key.fingerprint, placed->hash); !extended)
                        return extended;
            }
            if (target.issueId != placed->issueId || target.id != placed->keyId)
                m_moves[{ placed->issueId, target.issueId }].append({ event.row, target.id });
            report->moved += target.issueId != placed->issueId ? 1 : 0;
        }
        return PgDone {};
    }

    PgStatus insertKey(const IssueKey &key, qint64 issueId, const QString &linkedBy, qint64 *id)
    {
        const QByteArray explanation = QJsonDocument(toJson(key.explanation)).toJson(QJsonDocument::Compact);
        const auto inserted = m_connection.exec(
            QStringLiteral("INSERT INTO grouping_keys(project_id, hash, issue_id, strategy, explanation, linked_by) "
                           "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id, hash) DO NOTHING RETURNING id"),
            { PgParam::integer(m_projectId), PgParam::text(key.fingerprint), PgParam::integer(issueId),
                PgParam::text(key.explanation.strategy), PgParam::text(explanation), PgParam::text(linkedBy) });
        if (!inserted)
            return inserted.error();
        if (inserted->rowCount() == 0) // a collector recorded it meanwhile: the step again finds where it leads
            return conflict(QStringLiteral("grouping key %1 was recorded meanwhile").arg(key.fingerprint));
        *id = inserted->int64(0, 0);
        m_keys.insert(key.fingerprint, StoredKey { *id, issueId });
        return PgDone {};
    }

    // Removing the rule that brought `oldHash` takes the new key along.
    PgStatus extendRule(const QString &hash, const QString &oldHash)
    {
        const auto extended = m_connection.exec(
            QStringLiteral("INSERT INTO grouping_rule_keys(rule_id, hash) SELECT r.rule_id, $1 FROM "
                           "grouping_rule_keys r JOIN grouping_rules g ON g.id = r.rule_id "
                           "WHERE g.project_id = $2 AND r.hash = $3 ON CONFLICT DO NOTHING"),
            { PgParam::text(hash), PgParam::integer(m_projectId), PgParam::text(oldHash) });
        return extended ? PgStatus(PgDone {}) : PgStatus(extended.error());
    }

    PgStatus carryOut(RegroupReport *report)
    {
        PgEventMover mover(m_connection);
        QSet<qint64> touched = m_fresh; // an issue made for keys without stored events is deleted again
        for (auto it = m_moves.cbegin(); it != m_moves.cend(); ++it) {
            const auto [from, to] = it.key();
            if (PgStatus moved = mover.moveEvents(from, it.value(), to, m_fresh.contains(to)); !moved)
                return moved;
            if (from != to)
                touched << from << to;
        }
        QList<qint64> ordered(touched.cbegin(), touched.cend());
        std::sort(ordered.begin(), ordered.end());
        for (qint64 issue : std::as_const(ordered)) {
            bool deleted = false;
            if (PgStatus refreshed = mover.refreshIssue(issue, m_fresh.contains(issue), &deleted); !refreshed)
                return refreshed;
            report->issuesDeleted += deleted ? 1 : 0;
        }
        return PgDone {};
    }

    PgConnection &m_connection;
    qint64 m_projectId;
    const QList<Regrouped> &m_events;
    QHash<qint64, Placed> m_placed; // by event row
    QHash<QString, StoredKey> m_keys; // the project's keys by hash, of those the step's events have now
    QSet<qint64> m_claimed;
    QSet<qint64> m_fresh; // issues made by this step
    QMap<QPair<qint64, qint64>, QList<QPair<qint64, qint64>>> m_moves; // (from, to) → (event row, key)
};

} // namespace

PgRegrouper::PgRegrouper(PgConnection &connection, int eventsPerTransaction)
    : m_connection(connection)
    , m_step(std::max(1, eventsPerTransaction))
{
}

RegroupReport PgRegrouper::run(qint64 projectId, const RegroupProgress &progress)
{
    RegroupReport report;
    const auto bounds
        = m_connection.exec(QStringLiteral("SELECT count(*), coalesce(max(id), 0) FROM events WHERE project_id = $1"),
            { PgParam::integer(projectId) });
    if (!bounds) {
        report.error = bounds.error().message;
        return report;
    }
    // Only what was stored when it started: later events are grouped under this strategy already.
    const qint64 total = bounds->int64(0, 0), lastRow = bounds->int64(0, 1);
    qint64 after = 0;
    for (;;) {
        // Decompressing and grouping take most of the time: outside any transaction.
        const auto read = m_connection.exec(
            QStringLiteral("SELECT id, raw, raw_size FROM events WHERE project_id = $1 AND id > $2 AND id <= $3 "
                           "ORDER BY id LIMIT $4"),
            { PgParam::integer(projectId), PgParam::integer(after), PgParam::integer(lastRow),
                PgParam::integer(m_step) });
        if (!read) {
            report.error = read.error().message;
            return report;
        }
        const int rows = read->rowCount();
        if (rows == 0)
            break;
        QList<Regrouped> events;
        for (int row = 0; row < rows; ++row) {
            after = read->int64(row, 0);
            const Result<Event> event = parseEventJson(
                decompressRaw(pgByteaFromText(read->bytes(row, 1)), read->int64(row, 2)), EventDetail::Summary);
            if (event.ok())
                events.append(Regrouped { after, groupEvent(event.value()) });
            else
                ++report.unreadable;
        }
        report.events += rows;
        const std::optional<RegroupReport> step = inPgTransaction(
            m_connection, &report.error,
            [&](PgError *failure) { return Step(m_connection, projectId, events).apply(failure); }, kAttemptsPerStep);
        if (!step)
            return report;
        report.moved += step->moved;
        report.newIssues += step->newIssues;
        report.issuesDeleted += step->issuesDeleted;
        if (progress && !progress(std::min(report.events, total), total)) {
            report.cancelled = true;
            return report;
        }
        if (rows < m_step || after >= lastRow)
            break;
    }
    return report;
}

} // namespace faultline
