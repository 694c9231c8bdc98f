#pragma once
// The two roles a team gives Faultline's processes on a shared PostgreSQL
// database (#18), as SQL for an administrator to read and then run as the
// owner of Faultline's tables (`faultline db roles`):
// - the collector (`faultline --headless`): stores events and counts them
//   into their issues, records refusals and SDK discards; deletes nothing;
// - the viewer (a desktop window): reads everything; changes issue statuses,
//   merges and splits, grouping and alert rules, notification settings.
// Neither gets a password from it: the administrator sets one (\password) or
// uses client certificates. Retention (dropping a month's partitions) needs
// the tables' owner.
#include <QString>

namespace faultline {

struct PgRoleNames {
    QString database = QStringLiteral("faultline");
    QString schema = QStringLiteral("public");
    QString collector = QStringLiteral("faultline_collector");
    QString viewer = QStringLiteral("faultline_viewer");
};

QString postgresRolesSql(const PgRoleNames &names = {});

// "name" with inner quotes doubled: any text as one SQL identifier.
QString quotePgIdentifier(const QString &name);

} // namespace faultline
