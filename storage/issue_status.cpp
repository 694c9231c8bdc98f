#include "storage/issue_status.h"

#include "model/release_order.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QDateTime>
#include <QLocale>

namespace faultline {

namespace {

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

QString substatusFor(const StatusChange &change)
{
    if (change.status == IssueStatus::Resolved && change.until == StatusChange::Until::NextRelease)
        return QStringLiteral("next_release");
    if (change.status != IssueStatus::Ignored)
        return QString();
    switch (change.until) {
    case StatusChange::Until::Duration:
        return QStringLiteral("for");
    case StatusChange::Until::Events:
        return QStringLiteral("until_events");
    case StatusChange::Until::Escalating:
        return QStringLiteral("until_escalating");
    case StatusChange::Until::Forever:
    case StatusChange::Until::NextRelease:
        break;
    }
    return QString();
}

IssueStatusState statusAfter(
    const StatusChange &change, qint64 id, qint64 nowMs, qint64 count, const QString &newestRelease, qint64 busiestHour)
{
    const QString substatus = substatusFor(change);
    IssueStatusState next { id, issueStatusName(change.status), false, substatus, QString(), 0, 0, 0 };
    if (substatus == u"next_release")
        next.resolvedAfterRelease = newestRelease;
    else if (substatus == u"for")
        next.ignoreUntilMs = nowMs + qMax<qint64>(1, change.durationMs);
    else if (substatus == u"until_events")
        next.ignoreUntilCount = count + qMax<qint64>(1, change.events);
    else if (substatus == u"until_escalating")
        next.ignoreBaseline = busiestHour;
    return next;
}

bool statusAlreadySo(const IssueStatusState &next, const IssueStatusState &current)
{
    return next.status == current.status && next.regressed == current.regressed && next.substatus == current.substatus
        && next.substatus.isEmpty();
}

QString effectiveStatus(const IssueRow &issue, qint64 nowMs)
{
    if (issue.status == u"ignored" && issue.ignoreUntilMs > 0 && issue.ignoreUntilMs <= nowMs)
        return QStringLiteral("unresolved");
    return issue.status;
}

QString statusDetail(const IssueRow &issue, qint64 nowMs)
{
    const QString status = effectiveStatus(issue, nowMs);
    if (status == u"resolved") {
        if (issue.substatus == u"next_release")
            return issue.resolvedAfterRelease.isEmpty()
                ? QStringLiteral("resolved in the next release")
                : QStringLiteral("resolved in the next release (after %1)").arg(issue.resolvedAfterRelease);
        return QString();
    }
    if (status == u"ignored") {
        if (issue.substatus == u"for") {
            const QDateTime until = QDateTime::fromMSecsSinceEpoch(issue.ignoreUntilMs);
            const QString when = issue.ignoreUntilMs - nowMs < 24 * 3600'000LL
                ? QLocale().toString(until.time(), QLocale::ShortFormat)
                : QLocale().toString(until, QLocale::ShortFormat);
            return QStringLiteral("ignored until %1").arg(when);
        }
        if (issue.substatus == u"until_events") {
            const qint64 left = qMax<qint64>(0, issue.ignoreUntilCount - issue.count);
            return (left == 1 ? QStringLiteral("ignored until %1 more event")
                              : QStringLiteral("ignored until %1 more events"))
                .arg(QLocale().toString(left));
        }
        if (issue.substatus == u"until_escalating")
            return QStringLiteral("ignored until it escalates (more than %1 events in an hour)")
                .arg(QLocale().toString(issue.ignoreBaseline));
        return QStringLiteral("ignored");
    }
    if (issue.regressed)
        return QStringLiteral("regressed");
    if (issue.substatus == u"escalating")
        return QStringLiteral("escalating");
    return QString();
}

bool IssueStatusWriter::readState(qint64 id, IssueStatusState *state, qint64 *count, QString *error)
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT status, regressed, substatus, resolved_after_release, ignore_until_ms, "
                       "ignore_until_count, ignore_baseline, count FROM issues WHERE id = ?"));
    select.bind(1, id);
    if (!select.step()) {
        setError(error, select.error());
        return false; // gone (deleted meanwhile) or an error
    }
    *state = IssueStatusState { id, select.text(0), select.int64(1) != 0, select.text(2), select.text(3),
        select.int64(4), select.int64(5), select.int64(6) };
    *count = select.int64(7);
    return true;
}

QString IssueStatusWriter::newestRelease(qint64 id, QString *error)
{
    // The issue's own releases, and the release of its project's latest event (a deploy the
    // issue has not hit yet is still "the current release").
    Statement select(m_db.handle(),
        QStringLiteral("SELECT value FROM issue_facets WHERE issue_id = ?1 AND key = 'release' "
                       "UNION SELECT (SELECT e.release FROM events e WHERE e.project_id = i.project_id "
                       "AND e.release <> '' ORDER BY e.received_ms DESC LIMIT 1) FROM issues i WHERE i.id = ?1"));
    select.bind(1, id);
    QString newest;
    while (select.step()) {
        const QString release = select.text(0);
        if (!release.isEmpty() && (newest.isEmpty() || compareReleases(release, newest) > 0))
            newest = release;
    }
    setError(error, select.error());
    return newest;
}

qint64 IssueStatusWriter::busiestHour(qint64 id, qint64 nowMs, QString *error)
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT max(n) FROM (SELECT count(*) AS n FROM events WHERE issue_id = ? AND received_ms > ? "
                       "AND received_ms <= ? GROUP BY (? - received_ms) / ?)"));
    select.bindAll({ id, nowMs - kEscalationHistoryMs, nowMs, nowMs, kEscalationWindowMs });
    qint64 busiest = 0;
    if (select.step())
        busiest = select.int64(0);
    setError(error, select.error());
    return qMax<qint64>(1, busiest);
}

int IssueStatusWriter::apply(const QList<qint64> &issueIds, const StatusChange &change, qint64 nowMs,
    QList<IssueStatusState> *before, QString *error)
{
    sqlite3 *db = m_db.handle();
    QString failure;
    if (!execSql(db, "BEGIN IMMEDIATE", &failure)) {
        setError(error, failure);
        return -1;
    }
    auto fail = [&](const QString &message) {
        setError(error, message);
        execSql(db, "ROLLBACK");
        return -1;
    };
    Statement update(db,
        QStringLiteral("UPDATE issues SET status = ?, regressed = 0, substatus = ?, resolved_after_release = ?, "
                       "ignore_until_ms = ?, ignore_until_count = ?, ignore_baseline = ? WHERE id = ?"));
    const QString substatus = substatusFor(change);
    int changed = 0;
    for (qint64 id : issueIds) {
        IssueStatusState state;
        qint64 count = 0;
        if (!readState(id, &state, &count, &failure)) {
            if (!failure.isEmpty())
                return fail(failure);
            continue;
        }
        const QString release = substatus == u"next_release" ? newestRelease(id, &failure) : QString();
        const qint64 busiest = substatus == u"until_escalating" ? busiestHour(id, nowMs, &failure) : 0;
        if (!failure.isEmpty())
            return fail(failure);
        const IssueStatusState next = statusAfter(change, id, nowMs, count, release, busiest);
        if (statusAlreadySo(next, state))
            continue;
        update.reset();
        update.bindAll({ next.status, next.substatus, next.resolvedAfterRelease, next.ignoreUntilMs,
            next.ignoreUntilCount, next.ignoreBaseline, id });
        if (!update.exec())
            return fail(update.error());
        if (before)
            before->append(state);
        ++changed;
    }
    if (!execSql(db, "COMMIT", &failure))
        return fail(failure);
    return changed;
}

int IssueStatusWriter::restore(const QList<IssueStatusState> &states, QString *error)
{
    sqlite3 *db = m_db.handle();
    QString failure;
    if (!execSql(db, "BEGIN IMMEDIATE", &failure)) {
        setError(error, failure);
        return -1;
    }
    Statement update(db,
        QStringLiteral("UPDATE issues SET status = ?, regressed = ?, substatus = ?, resolved_after_release = ?, "
                       "ignore_until_ms = ?, ignore_until_count = ?, ignore_baseline = ? WHERE id = ?"));
    int restored = 0;
    for (const IssueStatusState &state : states) {
        update.reset();
        update.bindAll({ state.status, state.regressed ? 1 : 0, state.substatus, state.resolvedAfterRelease,
            state.ignoreUntilMs, state.ignoreUntilCount, state.ignoreBaseline, state.id });
        if (!update.exec()) {
            setError(error, update.error());
            execSql(db, "ROLLBACK");
            return -1;
        }
        restored += changedRows(db);
    }
    if (!execSql(db, "COMMIT", &failure)) {
        setError(error, failure);
        execSql(db, "ROLLBACK");
        return -1;
    }
    return restored;
}

} // namespace faultline
