#include "app/cli_database.h"

#include <QFileInfo>

namespace faultline {

QString cliDatabasePath(const CliArguments &arguments)
{
    return arguments.isSet(QStringLiteral("--db")) ? arguments.value(QStringLiteral("--db")) : Database::defaultPath();
}

std::unique_ptr<Database> openCliDatabase(const QString &path, CliDatabaseUse use, QTextStream &err)
{
    // An empty path would make SQLite open a private temporary database.
    if (path.isEmpty()) {
        err << "faultline: --db needs a path\n";
        return nullptr;
    }
    if (use != CliDatabaseUse::Create && !QFileInfo::exists(path)) {
        err << "faultline: no database at " << path << " (start faultline once, or pass --db PATH)\n";
        return nullptr;
    }
    QString error;
    auto db = Database::open(
        path, use == CliDatabaseUse::Read ? Database::Mode::ReadOnly : Database::Mode::ReadWrite, &error);
    if (!db)
        err << "faultline: " << error << "\n";
    return db;
}

} // namespace faultline
