#include "app/cli_database.h"

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

} // namespace

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

} // namespace faultline
