#include "ui/startup_failure.h"

#include "storage/postgres/pg_uri.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace faultline {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("StartupFailure", text); }
} // namespace

QString StartupFailure::heading() const
{
    switch (problem) {
    case StartupProblem::PortInUse:
        return tr("Another program already listens on %1").arg(listenAddress);
    case StartupProblem::DatabaseUnopenable:
        return tr("The database %1 cannot be opened").arg(dbPath);
    case StartupProblem::DatabaseTooNew:
        return tr("The database %1 was written by a newer Faultline").arg(dbPath);
    case StartupProblem::DataDirectoryNotWritable:
        return tr("Faultline cannot write to its data directory %1").arg(QFileInfo(dbPath).absolutePath());
    case StartupProblem::DiskFull:
        return tr("The disk holding %1 is full").arg(QFileInfo(dbPath).absolutePath());
    case StartupProblem::AlreadyCollecting:
        return tr("Faultline already collects for %1").arg(dbPath);
    case StartupProblem::DatabaseUnreachable:
        return tr("The PostgreSQL server of %1 cannot be reached").arg(dbPath);
    case StartupProblem::Other:
        break;
    }
    return tr("Faultline could not start");
}

QString StartupFailure::explanation() const
{
    switch (problem) {
    case StartupProblem::PortInUse:
        return tr("The collector needs this address to receive events. Stop the other program, or pick another "
                  "port (SDKs then need the new DSN; --listen HOST:PORT does the same on the command line).");
    case StartupProblem::DatabaseUnopenable:
        if (isPostgresUri(dbPath))
            return tr("The server answered, but this is not a Faultline database it can read (the reason is "
                      "below). Check the database name and the user's rights, or open another database.");
        return tr("The file may be damaged, not a Faultline database, or not readable by you. Open another "
                  "database (or a new one), or move this file away and start again (--db PATH).");
    case StartupProblem::DatabaseTooNew:
        return tr("This version cannot read it without risking its data. Install the newer Faultline, or open "
                  "another database (--db PATH).");
    case StartupProblem::DataDirectoryNotWritable:
        return tr("Events, the database and the log are kept there. Fix its permissions, or open a database in "
                  "another directory (--db PATH).");
    case StartupProblem::DiskFull:
        return tr("Events cannot be stored safely. Free some space, or open a database on another disk "
                  "(--db PATH).");
    case StartupProblem::AlreadyCollecting:
        return tr("Only one collector per database. The running one keeps collecting; open the window with "
                  "`faultline`, or stop the other collector first.");
    case StartupProblem::DatabaseUnreachable:
        return tr("Events are stored there. Check that the server runs and accepts connections from this host "
                  "(host, port, sslmode, pg_hba.conf) and that the user can log in (password in the URI, "
                  "PGPASSWORD or ~/.pgpass), then start again.");
    case StartupProblem::Other:
        break;
    }
    return tr("See the log for details.");
}

QString StartupFailure::text() const
{
    QString result = heading() + QStringLiteral(".\n") + explanation();
    if (!detail.isEmpty())
        result += QStringLiteral("\n(") + detail + QStringLiteral(")");
    return result;
}

int StartupFailure::exitCode() const
{
    switch (problem) {
    case StartupProblem::PortInUse:
        return kExitPortInUse;
    case StartupProblem::DatabaseUnopenable:
        return kExitDatabaseUnopenable;
    case StartupProblem::DatabaseTooNew:
        return kExitDatabaseTooNew;
    case StartupProblem::DataDirectoryNotWritable:
        return kExitDataDirectoryNotWritable;
    case StartupProblem::DiskFull:
        return kExitDiskFull;
    case StartupProblem::AlreadyCollecting:
        return kExitAlreadyCollecting;
    case StartupProblem::DatabaseUnreachable:
        return kExitDatabaseUnreachable;
    case StartupProblem::Other:
        break;
    }
    return kExitFailure;
}

} // namespace faultline
