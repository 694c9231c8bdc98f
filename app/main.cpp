// faultline: the desktop app, the headless collector, and the CLI.
#include "app/cli_commands.h"
#include "app/cli_database.h"
#include "app/cli_db_check.h"
#include "app/cli_db_copy.h"
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

// The subcommands, each with what runs it: `faultline <name> …` never opens a window.
struct CliCommand {
    const char *name;
    int (*run)(const QString &name, const QStringList &args, QTextStream &out, QTextStream &err);
};

int runIssue(const QString &name, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (isIssueGroupingCommand(args))
        return runIssueGroupingCommand(args, out, err);
    if (isIssueStatusCommand(args))
        return runIssueStatusCommand(args, out, err);
    return runCliCommand(name, args, out, err);
}

constexpr CliCommand kCliCommands[] = {
    { "projects", runCliCommand },
    { "issues", runCliCommand },
    { "issue", runIssue },
    { "events", runCliCommand },
    { "event", runCliCommand },
    { "pages",
        [](const QString &, const QStringList &args, QTextStream &out, QTextStream &err) {
            return runPagesCommand(args, out, err);
        } },
    { "prune",
        [](const QString &, const QStringList &args, QTextStream &out, QTextStream &err) {
            return runPruneCommand(args, out, err);
        } },
    { "mcp",
        [](const QString &, const QStringList &args, QTextStream &, QTextStream &err) {
            return runMcpCommand(args, err);
        } },
    { "db",
        [](const QString &, const QStringList &args, QTextStream &out, QTextStream &err) {
            return args.value(0) == QLatin1String("copy") ? runDbCopyCommand(args.mid(1), out, err)
                                                          : runDbCommand(args, out, err);
        } },
    { "project",
        [](const QString &, const QStringList &args, QTextStream &out, QTextStream &err) {
            return runProjectCommand(args, out, err);
        } },
};

const CliCommand *cliCommand(const char *word)
{
    for (const CliCommand &command : kCliCommands)
        if (qstrcmp(command.name, word) == 0)
            return &command;
    return nullptr;
}

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
    if (const CliCommand *command = argc > 1 ? cliCommand(argv[1]) : nullptr) {
        QCoreApplication app(argc, argv);
        setApplicationIdentity();
        spdlog::set_level(spdlog::level::warn); // the CLI's output is its answer; keep stderr for problems
        QTextStream out(stdout);
        QTextStream err(stderr);
        const QString name = QString::fromLatin1(command->name);
        const QStringList args = app.arguments().mid(2);
        if (const int refused = refuseUnavailableOnPostgres(name, args, err); refused != 0)
            return refused;
        return command->run(name, args, out, err);
    }

    // --help and --version must work without a display, like --headless.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const bool windowless = !wantsWindow(arguments);
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
