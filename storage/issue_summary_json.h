#pragma once
// An issue's summary (issue_summary.h) as JSON, one shape for
// `faultline issue ID --json` and the MCP tool get_issue: users affected,
// first/last seen with their release, events per release, the status with
// its conditions, and the top values of each tag key with counts and
// percentages of the issue's events.
#include "storage/issue_summary.h"

#include <QJsonObject>

#include <limits>

namespace faultline {

struct IssueRow;

struct SummaryJsonLimits {
    // The newest releases kept (oldest are left out first); keys kept in issue_summary.h's order.
    int releases = std::numeric_limits<int>::max();
    int tagKeys = std::numeric_limits<int>::max();
};

// Adds users, first_release, last_release, status_detail, releases and tags
// to `json`, and releases_omitted / tag_keys_omitted when a limit cut a list.
void addIssueSummaryJson(QJsonObject &json, const IssueRow &issue, const IssueSummary &summary, qint64 nowMs,
    const SummaryJsonLimits &limits = {});

} // namespace faultline
