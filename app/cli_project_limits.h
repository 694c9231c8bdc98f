#pragma once
// `faultline projects limits ID`: shows or sets a project's retention and rate limits.
#include <QStringList>
#include <QTextStream>

namespace faultline {

// `args` are the words after `limits`: the project id, then
//   --db PATH            database (default: Database::defaultPath())
//   --max-age-days N     delete events older than N days (0 = keep forever)
//   --max-events N       keep at most the newest N events (0 = unlimited)
//   --rate-limit N       accept at most N events a minute (0 = the collector's --rate-limit)
//   --json               print the limits as a JSON object
// Without a setting option it prints the current limits. Changes apply at the
// next retention run; the rate limit when the collector next reads it.
// Exit codes: 0 ok, 1 the database cannot be used or no such project, 2 bad usage.
int runProjectLimitsCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
