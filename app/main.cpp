// faultline: the desktop app, the headless collector, and the CLI.
#include "app/cli_commands.h"
#include "app/cli_db_check.h"
#include "app/cli_grouping.h"
#include "app/cli_issue_status.h"
#include "app/cli_mcp.h"
#include "app/cli_pages.h"
#include "app/cli_prune.h"
#include "app/cli_regroup.h"
#include "app/run_server.h"
#include "app/server_options.h"
#include "ui/app_icon.h"

#include <QApplication>
#include <QCoreApplication>
#include <QSettings>
#include <QTextStream>

#include <spdlog/spdlog.h>

#include <memory>

#include <sys/stat.h>

using namespace faultline;

namespace {

const QStringList kCliCommands { QStringLiteral("projects"), QStringLiteral("issues"), QStringLiteral("issue"),
    QStringLiteral("events"), QStringLiteral("event"), QStringLiteral("pages"), QStringLiteral("prune"),
    QStringLiteral("mcp"), QStringLiteral("db"), QStringLiteral("project") };

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("faultline"));
    QCoreApplication::setApplicationName(QStringLiteral("faultline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FAULTLINE_VERSION));
    // Settings used to live under Qt's "Unknown Organization" (no name was set): carried over once.
    QSettings settings;
    if (settings.allKeys().isEmpty()) {
        const QSettings legacy(QStringLiteral("Unknown Organization"), QStringLiteral("faultline"));
        for (const QString &key : legacy.allKeys())
            settings.setValue(key, legacy.value(key));
    }
}

} // namespace

int main(int argc, char *argv[])
{
    // The database, its WAL and the log hold DSN keys and event data: owner only.
    ::umask(077);
    if (argc > 1 && kCliCommands.contains(QString::fromLocal8Bit(argv[1]))) {
        QCoreApplication app(argc, argv);
        setApplicationIdentity();
        spdlog::set_level(spdlog::level::warn); // the CLI's output is its answer; keep stderr for problems
        QTextStream out(stdout);
        QTextStream err(stderr);
        const QString command = QString::fromLocal8Bit(argv[1]);
        const QStringList args = app.arguments().mid(2);
        if (command == QLatin1String("pages"))
            return runPagesCommand(args, out, err);
        if (command == QLatin1String("prune"))
            return runPruneCommand(args, out, err);
        if (command == QLatin1String("mcp"))
            return runMcpCommand(args, err);
        if (command == QLatin1String("project"))
            return runProjectCommand(args, out, err);
        if (command == QLatin1String("db"))
            return runDbCommand(args, out, err);
        if (command == QLatin1String("issue") && isIssueGroupingCommand(args))
            return runIssueGroupingCommand(args, out, err);
        if (command == QLatin1String("issue") && isIssueStatusCommand(args))
            return runIssueStatusCommand(args, out, err);
        return runCliCommand(command, args, out, err);
    }

    // --help and --version must work without a display, like --headless.
    bool windowless = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        windowless
            = windowless || arg == "--headless" || arg == "--help" || arg == "-h" || arg == "--version" || arg == "-v";
    }
    std::unique_ptr<QCoreApplication> app
        = windowless ? std::make_unique<QCoreApplication>(argc, argv) : std::make_unique<QApplication>(argc, argv);
    setApplicationIdentity();
    if (!windowless) {
        // Desktops match windows to io.github.faultline.Faultline.desktop (icon, name, taskbar
        // grouping) by this id; AppStream wants it reverse-DNS.
        QGuiApplication::setDesktopFileName(QStringLiteral("io.github.faultline.Faultline"));
        QApplication::setWindowIcon(applicationIcon());
    }
    int exitCode = 0;
    const std::optional<ServerOptions> options = parseServerOptions(app->arguments(), &exitCode);
    if (!options)
        return exitCode;
    return runServer(*options);
}
