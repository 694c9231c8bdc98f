#pragma once
// `faultline db check [--db PATH] [--full]`: is the database whole? Exits 0
// when it is, 1 with the problems and the recovery steps when it is not.
// `faultline db roles [--database NAME] [--schema NAME] [--collector ROLE] [--viewer ROLE]`:
// prints the SQL that makes a PostgreSQL database's collector and viewer roles.
#include <QStringList>
#include <QTextStream>

namespace faultline {

int runDbCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
