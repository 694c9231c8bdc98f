#include "model/issue_workflow.h"

#include "model/release_order.h"

namespace faultline {

namespace {

// Resolved in the next release: events without a release, or from the release it was
// resolved after or an older one, leave it resolved.
bool stillResolved(const IssueWorkflow &issue, const QString &release)
{
    return issue.substatus == u"next_release"
        && (release.isEmpty()
            || (!issue.resolvedAfterRelease.isEmpty() && compareReleases(release, issue.resolvedAfterRelease) <= 0));
}

} // namespace

std::optional<WorkflowChange> judgeArrival(IssueWorkflow &issue, const QString &release, qint64 receivedMs,
    qint64 earlierInBatch, const CountLastHour &countLastHour)
{
    auto reopen = [&issue](const QString &substatus, WorkflowChange change) {
        issue.status = QStringLiteral("unresolved");
        issue.substatus = substatus;
        issue.statusChanged = true;
        if (change == WorkflowChange::Regressed)
            issue.regressed = true;
        return change;
    };
    if (issue.status == u"resolved")
        return stillResolved(issue, release) ? WorkflowChange::None : reopen({}, WorkflowChange::Regressed);
    if (issue.status != u"ignored")
        return WorkflowChange::None;
    if (issue.substatus == u"for" && receivedMs >= issue.ignoreUntilMs)
        return reopen({}, WorkflowChange::Reopened);
    if (issue.substatus == u"until_events" && issue.storedCount + earlierInBatch + 1 >= issue.ignoreUntilCount)
        return reopen({}, WorkflowChange::Reopened);
    if (issue.substatus == u"until_escalating") {
        const std::optional<qint64> earlier = countLastHour();
        if (!earlier)
            return std::nullopt;
        if (*earlier + 1 > issue.ignoreBaseline)
            return reopen(QStringLiteral("escalating"), WorkflowChange::Escalated);
    }
    return WorkflowChange::None;
}

} // namespace faultline
