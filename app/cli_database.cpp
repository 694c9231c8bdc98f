#include "app/cli_database.h"

#include "model/collector_address.h"
#include "storage/app_state.h"
#include "storage/postgres/pg_uri.h"

#include <QFileInfo>

namespace faultline {

QString cliDatabasePath(const CliArguments &arguments)
{
    return arguments.isSet(QStringLiteral("--db")) ? arguments.value(QStringLiteral("--db")) : Database::defaultPath();
}

namespace {

// What every opening checks first; false after saying why.
bool usableLocation(const QString &path, CliDatabaseUse use, QTextStream &err)
{
    // An empty path would make SQLite open a private temporary database.
    if (path.isEmpty()) {
        err << "faultline: --db needs a path\n";
        return false;
    }
    if (use != CliDatabaseUse::Create && !isPostgresUri(path) && !QFileInfo::exists(path)) {
        err << "faultline: no database at " << path << " (start faultline once, or pass --db PATH)\n";
        return false;
    }
    return true;
}

// --db VALUE or --db=VALUE, as parseCliArguments reads them.
QString databaseArgument(const QStringList &args)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == u"--")
            break;
        if (args[i] == u"--db")
            return args.value(i + 1);
        if (args[i].startsWith(QLatin1String("--db=")))
            return args[i].mid(5);
    }
    return {};
}

// What works on PostgreSQL: every command of the CLI, whatever its subcommand.
bool availableOnPostgres(const QString &command, const QStringList & /*args*/)
{
    static const QStringList commands { QStringLiteral("issues"), QStringLiteral("events"), QStringLiteral("event"),
        QStringLiteral("prune"), QStringLiteral("mcp"), QStringLiteral("pages"), QStringLiteral("projects"),
        QStringLiteral("issue"), QStringLiteral("project"), QStringLiteral("db") };
    return commands.contains(command);
}

} // namespace

int refuseUnavailableOnPostgres(const QString &command, const QStringList &args, QTextStream &err)
{
    const QString location = databaseArgument(args);
    if (!isPostgresUri(location) || availableOnPostgres(command, args))
        return 0;
    // "db check", "issue merge", "issue --grouping", "projects limits": the subcommand, not a number or --db.
    QString what = command;
    for (qsizetype i = 0; i < args.size(); ++i) {
        bool number = false;
        args[i].toLongLong(&number);
        if (args[i] == u"--db")
            ++i;
        else if (!number && (!args[i].startsWith(u'-') || args[i] == u"--grouping")) {
            what += u' ' + args[i];
            break;
        }
    }
    err << "faultline: `" << what << "` is not available on PostgreSQL yet (" << connectionStringForLog(location)
        << "); it works on a SQLite database file\n";
    return 2;
}

std::unique_ptr<Database> openCliDatabase(const QString &path, CliDatabaseUse use, QTextStream &err)
{
    if (!usableLocation(path, use, err))
        return nullptr;
    QString error;
    auto db = Database::open(
        path, use == CliDatabaseUse::Read ? Database::Mode::ReadOnly : Database::Mode::ReadWrite, &error);
    if (!db)
        err << "faultline: " << error << "\n";
    return db;
}

std::unique_ptr<StorageBackend> openCliBackend(const QString &location, CliDatabaseUse use, QTextStream &err)
{
    if (!usableLocation(location, use, err))
        return nullptr;
    const BackendUse backendUse = use == CliDatabaseUse::Read ? BackendUse::Read
        : use == CliDatabaseUse::Write                        ? BackendUse::Write
                                                              : BackendUse::Create;
    auto backend = openStorageBackend(location, backendUse);
    if (!backend) {
        err << "faultline: " << backend.error().detail << "\n";
        return nullptr;
    }
    return std::move(backend).value();
}

QString publishedCollectorHostPort(const StorageBackend &backend)
{
    const QString published = backend.appState(kCollectorAddressKey);
    return published.isEmpty() ? QLatin1String(kDefaultCollectorHostPort) : published;
}

} // namespace faultline
