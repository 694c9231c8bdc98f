#pragma once
// Grouping from the shell (#13), through the same storage code as the window
// (storage/grouping_rules.h):
//   faultline issue merge A B… [--into A]   one issue from several; the rule sticks
//   faultline issue unmerge ID --by HASH    split a grouping key (and its events) off
//   faultline issue ID --grouping           the issue's keys, what each counted, events per key
// with --db PATH and --json. Exit codes: 0 done, 1 refused or the database
// cannot be used, 2 bad usage.
#include <QStringList>
#include <QTextStream>

namespace faultline {

// Are `args` (the words after `issue`) one of the above?
bool isIssueGroupingCommand(const QStringList &args);
int runIssueGroupingCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
