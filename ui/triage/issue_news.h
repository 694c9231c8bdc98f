#pragma once
// What a live refresh reads for the desktop notifications (ui/issue_notifier.h).
#include "model/alert_rules.h"

namespace faultline {

// A new, regressed or escalated issue, read after its batch committed.
struct IssueNews {
    AlertIssue issue;
    AlertTrigger trigger = AlertTrigger::NewIssue;
};

} // namespace faultline
