#pragma once
// Why Faultline could not start, in words for the user: the same text goes
// into the start-up dialog and, headless, to stderr with a distinct exit code
// (documented in README.md and `faultline --help`).
#include <QString>

namespace faultline {

enum class StartupProblem {
    PortInUse,
    DatabaseUnopenable,
    DatabaseTooNew,
    DataDirectoryNotWritable,
    DiskFull,
    AlreadyCollecting, // another faultline collects for this database (headless start only)
    DatabaseUnreachable, // the PostgreSQL server named by --db does not answer or refuses the login
    Other,
};

// Process exit codes; 0 = ran and quit, 2 = bad command line (QCommandLineParser's convention).
enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,
    kExitUsage = 2,
    kExitPortInUse = 3,
    kExitDatabaseUnopenable = 4,
    kExitDatabaseTooNew = 5,
    kExitDataDirectoryNotWritable = 6,
    kExitDiskFull = 7,
    kExitAlreadyCollecting = 8,
    kExitDatabaseUnreachable = 9,
    // 10 meant "the window cannot open PostgreSQL" until it could (#18); not reused.
};

struct StartupFailure {
    StartupProblem problem = StartupProblem::Other;
    QString detail; // what the system or SQLite said
    QString dbPath; // a PostgreSQL URI without its password (connectionStringForLog)
    QString listenAddress; // "127.0.0.1:8990"

    QString heading() const; // one line: what is wrong
    QString explanation() const; // what it means and what the user can do
    QString text() const; // heading, explanation and detail: what headless prints
    int exitCode() const;
};

} // namespace faultline
