#pragma once
// Opening the database a `faultline` subcommand works on, with the same
// complaints for every command.
#include "app/cli_arguments.h"
#include "storage/backend.h"
#include "storage/database.h"

#include <QString>
#include <QTextStream>

#include <memory>

namespace faultline {

enum class CliDatabaseUse {
    Read, // an existing database, read-only, so it works while the app is collecting
    Write, // an existing database, read-write
    Create, // read-write, creating the file when there is none yet
};

// --db PATH, else Database::defaultPath().
QString cliDatabasePath(const CliArguments &arguments);

// On failure it says why on err ("no database at PATH …", or the open error)
// and returns null: the command then exits 1.
std::unique_ptr<Database> openCliDatabase(const QString &path, CliDatabaseUse use, QTextStream &err);

// Commands not yet done on PostgreSQL (#18): when `args` name a postgresql://
// --db for one of them, it says so on err and returns 2 (the command must not
// run: it would fail on SQLite's terms); 0 otherwise.
int refuseUnavailableOnPostgres(const QString &command, const QStringList &args, QTextStream &err);

// The same for commands that work on either backend: `location` is a path or a
// postgresql:// URI (storage/backend.h). Null after saying why on err.
std::unique_ptr<StorageBackend> openCliBackend(const QString &location, CliDatabaseUse use, QTextStream &err);

// Where the app said its collector listens when it last started (SQLite; a
// collector on PostgreSQL publishes nothing), else the default: for DSNs
// printed by a process that is not the collector.
QString publishedCollectorHostPort(const StorageBackend &backend);

} // namespace faultline
