#pragma once
// Triage changes with their conditions (issue 14), one code path for the
// window and the CLI: resolve (now, or in the next release), ignore (for a
// while, until N more events, until it escalates, or for good), unresolve,
// and putting issues back as they were (undo). The writer evaluates the
// conditions as events arrive (BatchWriter::resolveIssue), this file defines
// them:
//  - next release: resolved until an event arrives from a release newer
//    (model/release_order.h) than the newest one seen when it was resolved;
//    that event is a regression. Events without a release or from that
//    release or older leave it resolved.
//  - for a duration: ignored until the time passes (read as unresolved from
//    then on, see effectiveStatus), or an event arrives after it.
//  - until N more events: ignored until the issue's count reaches its count
//    when ignored plus N.
//  - until it escalates (after Sentry's "archived until escalating"): the
//    baseline is the busiest hour of the 7 days before it was ignored (at
//    least 1 event); it escalates when the hour up to a new event holds more
//    events than that. It comes back unresolved with substatus 'escalating'.
#include "model/issue_workflow.h" // kEscalationWindowMs
#include "storage/issue_queries.h"

#include <QList>
#include <QString>

namespace faultline {

class Database;

struct StatusChange {
    enum class Until { Forever, NextRelease, Duration, Events, Escalating };
    IssueStatus status = IssueStatus::Unresolved;
    Until until = Until::Forever; // NextRelease with Resolved; Duration/Events/Escalating with Ignored
    qint64 durationMs = 0; // Duration
    qint64 events = 0; // Events: how many more
};

// Everything a status change touches on one issue, to put it back.
struct IssueStatusState {
    qint64 id = 0;
    QString status;
    bool regressed = false;
    QString substatus;
    QString resolvedAfterRelease;
    qint64 ignoreUntilMs = 0;
    qint64 ignoreUntilCount = 0;
    qint64 ignoreBaseline = 0;
};

constexpr qint64 kEscalationHistoryMs = 7 * 24 * 3600'000LL; // where the baseline's busiest hour is looked for

class IssueStatusWriter {
public:
    explicit IssueStatusWriter(Database &db)
        : m_db(db)
    {
    }

    // Applies `change` to the issues in one transaction. `before` (may be null) receives
    // their states before it, for undo. Returns how many changed, -1 on error.
    int apply(const QList<qint64> &issueIds, const StatusChange &change, qint64 nowMs,
        QList<IssueStatusState> *before = nullptr, QString *error = nullptr);
    // Puts issues back into the states `apply` reported. Returns how many, -1 on error.
    int restore(const QList<IssueStatusState> &states, QString *error = nullptr);

private:
    bool readState(qint64 id, IssueStatusState *state, qint64 *count, QString *error);
    QString newestRelease(qint64 id, QString *error);
    qint64 busiestHour(qint64 id, qint64 nowMs, QString *error);

    Database &m_db;
};

// The substatus a change sets: next_release, for, until_events, until_escalating, or empty.
QString substatusFor(const StatusChange &change);
// The state `change` puts issue `id` in, on every backend. `count` is the issue's
// event count; `newestRelease` (next_release) and `busiestHour` (until_escalating)
// are read by the caller only for the substatus that needs them.
IssueStatusState statusAfter(const StatusChange &change, qint64 id, qint64 nowMs, qint64 count,
    const QString &newestRelease, qint64 busiestHour);
// A plain status that is already so: nothing to change, nothing to undo.
bool statusAlreadySo(const IssueStatusState &next, const IssueStatusState &current);

// What the list and `issues --json` call the status, with ignores whose time is up read as
// unresolved (they are, even before an event tells the writer).
QString effectiveStatus(const IssueRow &issue, qint64 nowMs);
// For people: "ignored for 24 h (until 14:05)", "resolved in the next release (after 1.2.3)",
// "ignored until 10 more events (3 so far)", "regressed", "escalating"; empty for a plain status.
QString statusDetail(const IssueRow &issue, qint64 nowMs);
// "for_review" in the query language: new in the last 7 days, regressed or escalating, and unresolved.
constexpr qint64 kNewIssueMs = 7 * 24 * 3600'000LL;

} // namespace faultline
