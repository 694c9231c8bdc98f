#include "app/cli_db_check.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"
#include "storage/storage_health.h"

namespace faultline {

namespace {

const QString kUsage = QStringLiteral("usage: faultline db check [--db PATH] [--full]");

// SQLite's own salvage: every row it can still read, into a new file.
void printRecovery(const QString &path, QTextStream &err)
{
    err << "To recover what can be read, stop Faultline and run:\n"
        << "  sqlite3 '" << path << "' .recover | sqlite3 '" << path << ".recovered'\n"
        << "then check the new file (faultline db check --db '" << path << ".recovered') and move it in place of\n"
        << "the old one (keep the old one until you are sure).\n";
}

} // namespace

int runDbCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(0) != QLatin1String("check")) {
        err << "faultline: unknown db subcommand '" << args.value(0) << "' (try: check)\n" << kUsage << "\n";
        return 2;
    }
    const auto arguments = parseCliArguments(
        args.mid(1), CliSyntax { { QStringLiteral("--db") }, { QStringLiteral("--full") }, {}, false, kUsage }, err);
    if (!arguments)
        return 2;
    const QString path = cliDatabasePath(*arguments);
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
