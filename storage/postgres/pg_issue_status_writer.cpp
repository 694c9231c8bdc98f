#include "storage/postgres/pg_issue_status_writer.h"

#include "model/release_order.h"
#include "storage/postgres/pg_connection.h"

#include <algorithm>
#include <optional>

namespace faultline {

namespace {

// The statements of one change, each an error as text on failure.
class StatusTransaction {
public:
    explicit StatusTransaction(PgConnection &connection)
        : m_connection(connection)
    {
    }

    // Locked until the transaction ends; false when the issue is gone (or on error).
    bool readState(qint64 id, IssueStatusState *state, qint64 *count)
    {
        const auto rows = m_connection.exec(
            QStringLiteral("SELECT status, regressed, substatus, resolved_after_release, ignore_until_ms, "
                           "ignore_until_count, ignore_baseline, count FROM issues WHERE id = $1 FOR UPDATE"),
            { PgParam::integer(id) });
        if (failed(rows) || rows->rowCount() == 0)
            return false;
        *state = IssueStatusState { id, rows->text(0, 0), rows->int64(0, 1) != 0, rows->text(0, 2), rows->text(0, 3),
            rows->int64(0, 4), rows->int64(0, 5), rows->int64(0, 6) };
        *count = rows->int64(0, 7);
        return true;
    }

    // As IssueStatusWriter: the issue's releases and its project's latest event's.
    QString newestRelease(qint64 id)
    {
        const auto rows = m_connection.exec(
            QStringLiteral("SELECT value FROM issue_facets WHERE issue_id = $1 AND key = 'release' "
                           "UNION SELECT (SELECT e.release FROM events e WHERE e.project_id = i.project_id "
                           "AND e.release <> '' ORDER BY e.received_ms DESC LIMIT 1) FROM issues i WHERE i.id = $1"),
            { PgParam::integer(id) });
        QString newest;
        for (int row = 0; !failed(rows) && row < rows->rowCount(); ++row) {
            const QString release = rows->text(row, 0);
            if (!release.isEmpty() && (newest.isEmpty() || compareReleases(release, newest) > 0))
                newest = release;
        }
        return newest;
    }

    qint64 busiestHour(qint64 id, qint64 nowMs)
    {
        const auto rows = m_connection.exec(
            QStringLiteral("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM events WHERE issue_id = $1 "
                           "AND received_ms > $2 AND received_ms <= $3 GROUP BY ($3 - received_ms) / $4) AS hours"),
            { PgParam::integer(id), PgParam::integer(nowMs - kEscalationHistoryMs), PgParam::integer(nowMs),
                PgParam::integer(kEscalationWindowMs) });
        return qMax<qint64>(1, failed(rows) ? 0 : rows->int64(0, 0));
    }

    // Every status column of the issue as `state` has it: a change (statusAfter() clears
    // `regressed`) or an undo (what readState() read): the rows it changed, nothing on error.
    std::optional<qint64> write(const IssueStatusState &state)
    {
        const auto updated = m_connection.exec(
            QStringLiteral(
                "UPDATE issues SET status = $1, regressed = $2, substatus = $3, resolved_after_release = $4, "
                "ignore_until_ms = $5, ignore_until_count = $6, ignore_baseline = $7 WHERE id = $8"),
            { PgParam::text(state.status), PgParam::integer(state.regressed ? 1 : 0), PgParam::text(state.substatus),
                PgParam::text(state.resolvedAfterRelease), PgParam::integer(state.ignoreUntilMs),
                PgParam::integer(state.ignoreUntilCount), PgParam::integer(state.ignoreBaseline),
                PgParam::integer(state.id) });
        if (failed(updated))
            return std::nullopt;
        return updated->affectedRows();
    }

    const QString &error() const { return m_error; }

private:
    bool failed(const PgResult<PgRows> &rows)
    {
        if (!rows && m_error.isEmpty())
            m_error = rows.error().message;
        return !rows;
    }

    PgConnection &m_connection;
    QString m_error;
};

// Runs `work` (a callable taking the StatusTransaction, returning the number of issues
// changed, or nothing when a statement failed) between BEGIN and COMMIT: its number once
// committed; -1, the first failure in *error and the transaction rolled back otherwise.
template<typename Work> int inStatusTransaction(PgConnection &connection, QString *error, Work work)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        connection.rollback();
        return -1;
    };
    if (PgStatus begun = connection.begin(); !begun)
        return fail(begun.error().message);
    StatusTransaction transaction(connection);
    const std::optional<int> changed = work(transaction);
    if (!changed)
        return fail(transaction.error());
    if (PgStatus committed = connection.commit(); !committed)
        return fail(committed.error().message);
    return *changed;
}

} // namespace

int PgIssueStatusWriter::apply(const QList<qint64> &issueIds, const StatusChange &change, qint64 nowMs,
    QList<IssueStatusState> *before, QString *error)
{
    QList<IssueStatusState> states;
    auto changeAll = [&](StatusTransaction &transaction) -> std::optional<int> {
        const QString substatus = substatusFor(change);
        // In id order, as the batch writer locks them: two transactions never wait on each other in a circle.
        QList<qint64> ids = issueIds;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (qint64 id : std::as_const(ids)) {
            IssueStatusState state;
            qint64 count = 0;
            if (!transaction.readState(id, &state, &count)) {
                if (!transaction.error().isEmpty())
                    return std::nullopt;
                continue; // gone meanwhile
            }
            const QString release = substatus == u"next_release" ? transaction.newestRelease(id) : QString();
            const qint64 busiest = substatus == u"until_escalating" ? transaction.busiestHour(id, nowMs) : 0;
            const IssueStatusState next = statusAfter(change, id, nowMs, count, release, busiest);
            if (!transaction.error().isEmpty())
                return std::nullopt;
            if (statusAlreadySo(next, state))
                continue;
            if (!transaction.write(next))
                return std::nullopt;
            states.append(state);
        }
        return int(states.size());
    };
    const int changed = inStatusTransaction(m_connection, error, changeAll);
    if (changed >= 0 && before)
        before->append(states);
    return changed;
}

int PgIssueStatusWriter::restore(const QList<IssueStatusState> &states, QString *error)
{
    return inStatusTransaction(m_connection, error, [&](StatusTransaction &transaction) -> std::optional<int> {
        // In id order, as apply() and the batch writer lock rows: no waiting in a circle.
        QList<IssueStatusState> ordered = states;
        std::sort(ordered.begin(), ordered.end(),
            [](const IssueStatusState &a, const IssueStatusState &b) { return a.id < b.id; });
        int restored = 0;
        for (const IssueStatusState &state : std::as_const(ordered)) {
            const std::optional<qint64> updated = transaction.write(state);
            if (!updated)
                return std::nullopt;
            restored += int(*updated);
        }
        return restored;
    });
}

} // namespace faultline
