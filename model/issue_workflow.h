#pragma once
// The workflow conditions an arriving event is judged against (storage/issue_status.h
// describes them: resolved in the next release, ignored for a while, until N events,
// until it escalates). One decision for every storage backend: each writer reads the
// issue's row into an IssueWorkflow, judges its batch's events in order, and writes
// the row back when statusChanged says a condition ended.
#include <QString>

#include <functional>
#include <optional>

namespace faultline {

constexpr qint64 kEscalationWindowMs = 3600'000; // the hour compared with the baseline

struct IssueWorkflow {
    QString status; // "unresolved", "resolved", "ignored"
    QString substatus; // "next_release", "for", "until_events", "until_escalating", "escalating", ""
    QString resolvedAfterRelease;
    qint64 ignoreUntilMs = 0;
    qint64 ignoreUntilCount = 0;
    qint64 ignoreBaseline = 0; // events in the busiest hour before it was ignored
    qint64 storedCount = 0; // the row's count before this batch
    bool regressed = false; // reopened from resolved by this batch
    bool statusChanged = false; // a condition ended: status and substatus are written, conditions cleared
};

enum class WorkflowChange {
    None,
    Reopened, // an ignore ran out (time or count)
    Regressed, // a resolved issue got a new event
    Escalated, // an issue ignored until it escalates did
};

// Events of the issue in the hour up to the arriving event, that event excluded
// (the batch's earlier ones included); nullopt when they could not be counted.
using CountLastHour = std::function<std::optional<qint64>()>;

// Judges one arriving event and updates `issue`. `earlierInBatch`: events of
// this batch judged before it for the same issue. `countLastHour` is asked only
// for an issue ignored until it escalates. nullopt when it could not count.
std::optional<WorkflowChange> judgeArrival(IssueWorkflow &issue, const QString &release, qint64 receivedMs,
    qint64 earlierInBatch, const CountLastHour &countLastHour);

} // namespace faultline
