#pragma once
// `faultline db check [--db PATH] [--full]`: is the database whole? Exits 0
// when it is, 1 with the problems and the recovery steps when it is not.
#include <QStringList>
#include <QTextStream>

namespace faultline {

int runDbCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
