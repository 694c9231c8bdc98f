#pragma once
// `faultline issue ID resolve|ignore|unresolve [condition]`: triage from the
// shell through the same storage code as the window (storage/issue_status.h).
#include <QStringList>
#include <QTextStream>

namespace faultline {

// Is `args` (the words after `issue`) a status change: `ID resolve|ignore|unresolve …`?
bool isIssueStatusCommand(const QStringList &args);

// `args` are the words after `issue`:
//   ID resolve [--next-release]
//   ID ignore [--for 1h|24h|7d|30m] [--until-events N] [--until-escalating]
//   ID unresolve
//   --db PATH   database (default: Database::defaultPath())
//   --json      print the issue afterwards as JSON
// Exit codes: 0 ok (also when it already had that status), 1 the database cannot be used
// or no such issue, 2 bad usage.
int runIssueStatusCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
