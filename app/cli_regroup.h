#pragma once
// `faultline project regroup NAME [--db PATH] [--json]`: re-groups the
// project's stored events under the current grouping strategy
// (storage/regrouper.h), beside a running collector, with progress on stderr.
// Exit codes: 0 done, 1 no such project or a database error, 2 bad usage.
#include <QStringList>
#include <QTextStream>

namespace faultline {

int runProjectCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
