#pragma once
// `faultline project regroup NAME|ID [--db PATH] [--json]`: re-groups the
// project's stored events under the current grouping strategy
// (storage/grouping_rule_store.h), beside running collectors, with progress on stderr.
// `faultline project rules NAME|ID [--remove RULE] [--db PATH] [--json]`: the
// project's merge and split rules, newest first; --remove undoes one for the
// events to come (its keys' events go along). Either backend.
// Exit codes: 0 done, 1 no such project or rule, or a database error, 2 bad usage.
#include <QStringList>
#include <QTextStream>

namespace faultline {

int runProjectCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
