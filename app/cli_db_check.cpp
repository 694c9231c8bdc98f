#include "app/cli_db_check.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"
#include "storage/postgres/pg_check.h"
#include "storage/postgres/pg_roles.h"
#include "storage/postgres/pg_uri.h"
#include "storage/storage_health.h"

#include <QDateTime>

namespace faultline {

namespace {

const QString kUsage = QStringLiteral("usage: faultline db check [--db PATH] [--full]");
const QString kRolesUsage
    = QStringLiteral("usage: faultline db roles [--database NAME] [--schema NAME] [--collector ROLE] [--viewer ROLE]");

// The SQL that makes a PostgreSQL database's collector and viewer roles (#18),
// printed for the administrator to read and run; it connects nowhere.
int printRoles(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QStringList valued { QStringLiteral("--database"), QStringLiteral("--schema"), QStringLiteral("--collector"),
        QStringLiteral("--viewer") };
    const auto arguments = parseCliArguments(args, CliSyntax { valued, {}, {}, false, kRolesUsage }, err);
    if (!arguments)
        return 2;
    PgRoleNames names;
    for (auto [option, name] : { std::pair { valued[0], &names.database }, std::pair { valued[1], &names.schema },
             std::pair { valued[2], &names.collector }, std::pair { valued[3], &names.viewer } })
        *name = arguments->values.value(option, *name);
    out << postgresRolesSql(names);
    return 0;
}

// SQLite's own salvage: every row it can still read, into a new file.
void printRecovery(const QString &path, QTextStream &err)
{
    err << "To recover what can be read, stop Faultline and run:\n"
        << "  sqlite3 '" << path << "' .recover | sqlite3 '" << path << ".recovered'\n"
        << "then check the new file (faultline db check --db '" << path << ".recovered') and move it in place of\n"
        << "the old one (keep the old one until you are sure).\n";
}

// PostgreSQL keeps its own files whole (WAL, checksums): what is checked is
// Faultline's part (storage/postgres/pg_check.h). Exit codes as for SQLite.
int checkPostgres(const QString &uri, QTextStream &out, QTextStream &err)
{
    // Blocking, host name look-up included: Ctrl+C ends it (only runServer() handles SIGINT).
    auto connection = PgConnection::open(uri);
    if (!connection) {
        err << "faultline: cannot connect to " << connectionStringForLog(uri) << ": " << connection.error().message
            << "\n";
        return 1;
    }
    const QString name = connection.value()->logName();
    const PgCheckReport report = checkPostgresDatabase(*connection.value(), QDateTime::currentMSecsSinceEpoch());
    if (report.problems.isEmpty()) {
        out << name << ": ok (" << report.facts.join(QStringLiteral("; ")) << ")\n";
        return 0;
    }
    err << name << ": problems found\n";
    for (const QString &problem : report.problems)
        err << "  " << problem << "\n";
    return 1;
}

} // namespace

int runDbCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(0) == QLatin1String("roles"))
        return printRoles(args.mid(1), out, err);
    if (args.value(0) != QLatin1String("check")) {
        err << "faultline: unknown db subcommand '" << args.value(0) << "' (try: check, roles)\n"
            << kUsage << "\n"
            << kRolesUsage << "\n";
        return 2;
    }
    const auto arguments = parseCliArguments(
        args.mid(1), CliSyntax { { QStringLiteral("--db") }, { QStringLiteral("--full") }, {}, false, kUsage }, err);
    if (!arguments)
        return 2;
    const QString path = cliDatabasePath(*arguments);
    if (isPostgresUri(path))
        return checkPostgres(path, out, err);
    auto db = openCliDatabase(path, CliDatabaseUse::Read, err);
    if (!db) {
        printRecovery(path, err);
        return 1;
    }
    const IntegrityReport report = checkIntegrity(db->handle(), arguments->isSet(QStringLiteral("--full")), 0);
    if (report.problems.isEmpty()) {
        out << path << ": ok\n";
        return 0;
    }
    err << path << ": damaged\n";
    for (const QString &problem : report.problems)
        err << "  " << problem << "\n";
    printRecovery(path, err);
    return 1;
}

} // namespace faultline
