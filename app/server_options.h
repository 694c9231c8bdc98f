#pragma once
// Options of `faultline` / `faultline --headless`, from the command line.
#include "app/listen_address.h"
#include "model/collector_address.h"
#include "model/disk_reserve.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace faultline {

struct ServerOptions {
    bool headless = false;
    QString dbPath; // empty = the default in the data directory
    ListenAddress listen { QHostAddress(QHostAddress::LocalHost), kDefaultCollectorPort };
    // --listen was given: with a PostgreSQL --db and the window, collect here too (a viewer otherwise).
    bool listenGiven = false;
    QString logLevel = QStringLiteral("info");
    int projectEventsPerMinute = 0; // --rate-limit; 0 = unlimited
    // Below the smaller of the two free on the database's disk, events get a 507 (Settings; --min-free-mb).
    qint64 minFreeBytes = qint64(kDefaultMinFreeMegabytes) << 20;
    int minFreePercent = kDefaultMinFreePercent;
    QStringList links; // faultline://issue/ID to open (the .desktop file's %u)
};

// What --help prints, laid out as QCommandLineParser did (help2man makes the man page of it).
QString serverHelpText(const QString &program);

// Whether argv asks for the window (not --headless, --help or --version), read
// before any QCoreApplication exists: it decides which kind to create.
bool wantsWindow(const QStringList &arguments);

// Parses argv (QCoreApplication must exist). Handles --help/--version itself
// (prints and returns nullopt with *exitCode 0); errors return nullopt and *exitCode 2.
std::optional<ServerOptions> parseServerOptions(const QStringList &arguments, int *exitCode);

} // namespace faultline
