#include "app/server_options.h"

#include "app/cli_arguments.h"
#include "ui/app_settings.h"

#include <QDir>
#include <QTextStream>

#include <algorithm>
#include <climits>

namespace faultline {

namespace {

const char *const kDescription
    = "Faultline: a desktop error tracker with an embedded Sentry-compatible collector.\n\n"
      "Commands (each also takes --db PATH):\n"
      "  projects [--json]\n"
      "      projects and their DSNs\n"
      "  projects add NAME\n"
      "      create a project, print its DSN\n"
      "  projects limits ID [--max-age-days N] [--max-events N] [--rate-limit N]\n"
      "                    [--attachment-mib-per-hour N] [--max-stored-mib N] [--keep-pii RULES]\n"
      "      a project's retention and rate limits\n"
      "  issues [--query Q] [--limit N] [--json]\n"
      "      issues matching a query\n"
      "  events [--query Q] [--limit N] [--json|--raw]\n"
      "      events, one JSON object per line\n"
      "  event ID [--raw]\n"
      "      one event; --raw: as stored\n"
      "  pages [--project ID] [--json]\n"
      "      distinct error pages users got\n"
      "  prune [--project ID] [--max-age-days N] [--max-events N] [--dry-run]\n"
      "      delete what is past the limits now\n"
      "  mcp\n"
      "      MCP server for coding agents, on stdio\n\n"
      "One Faultline runs per database: starting it again shows the running window (and opens a\n"
      "faultline://issue/ID link); with a collector already running (e.g. the systemd user unit\n"
      "faultline-collector.service), the window opens as a viewer of it.\n\n"
      "Exit codes: 0 quit normally, 1 other failure, 2 bad command line, 3 listen address in use,\n"
      "4 database cannot be opened, 5 database from a newer Faultline, 6 data directory not\n"
      "writable, 7 disk full, 8 another collector already serves this database (--headless),\n"
      "9 PostgreSQL server unreachable.\n\n"
      "With a postgresql:// --db the window is a viewer: collectors run elsewhere (faultline --headless),\n"
      "changes show live; --listen HOST:PORT collects in this process too.";

struct OptionHelp {
    QString names; // as listed: "-h, --help"
    QString valueName; // empty for a flag
    QString description;
};

// Every option once: the parser's syntax and --help are made from this list.
QList<OptionHelp> optionHelp()
{
    return {
        { QStringLiteral("-h, --help"), {}, QStringLiteral("Displays help on commandline options.") },
        { QStringLiteral("-v, --version"), {}, QStringLiteral("Displays version information.") },
        { QStringLiteral("--headless"), {}, QStringLiteral("Run the collector only, no window.") },
        { QStringLiteral("--db"), QStringLiteral("PATH"),
            QStringLiteral("SQLite database file, or a postgresql:// URI (any number of collectors and "
                           "windows may share one).") },
        { QStringLiteral("--listen"), QStringLiteral("HOST:PORT"),
            QStringLiteral("Collector address (default %1).").arg(QLatin1String(kDefaultCollectorHostPort)) },
        { QStringLiteral("--log-level"), QStringLiteral("LEVEL"),
            QStringLiteral("trace, debug, info, warn, error or off (default info).") },
        { QStringLiteral("--rate-limit"), QStringLiteral("N"),
            QStringLiteral("Events per minute accepted per project (default 0 = unlimited).") },
        { QStringLiteral("--min-free-mb"), QStringLiteral("N"),
            QStringLiteral("Refuse events (507) while the database's disk has less than N MB or %1 % free, "
                           "whichever is smaller (default %2; 0 = off).")
                .arg(kDefaultMinFreePercent)
                .arg(kDefaultMinFreeMegabytes) },
    };
}

CliSyntax serverSyntax()
{
    CliSyntax syntax;
    for (const OptionHelp &option : optionHelp()) {
        const QStringList names = option.names.split(QStringLiteral(", "));
        (option.valueName.isEmpty() ? syntax.flags : syntax.valueOptions).append(names.last());
        for (const QString &alias : names.mid(0, names.size() - 1))
            syntax.aliases.insert(alias, names.last());
    }
    syntax.positionals = true; // faultline://issue/ID links, checked below
    syntax.usage = QStringLiteral("Usage: faultline [options] [faultline://issue/ID] (see --help)");
    return syntax;
}

} // namespace

QString serverHelpText(const QString &program)
{
    QStringList names;
    int width = int(QStringLiteral("link").size());
    for (const OptionHelp &option : optionHelp()) {
        names.append(
            option.valueName.isEmpty() ? option.names : option.names + QStringLiteral(" <%1>").arg(option.valueName));
        width = std::max(width, int(names.last().size()));
    }
    QString text = QStringLiteral("Usage: %1 [options] [faultline://issue/ID]\n%2\n\nOptions:\n")
                       .arg(program, QString::fromUtf8(kDescription));
    const QList<OptionHelp> options = optionHelp();
    for (int i = 0; i < options.size(); ++i)
        text += QStringLiteral("  %1  %2\n").arg(names[i], -width).arg(options[i].description);
    text += QStringLiteral("\nArguments:\n  %1  A faultline://issue/ID link to open.\n")
                .arg(QStringLiteral("link"), -width);
    return text;
}

bool wantsWindow(const QStringList &arguments)
{
    QString ignored;
    QTextStream quiet(&ignored);
    const std::optional<CliArguments> parsed = parseCliArguments(arguments.mid(1), serverSyntax(), quiet);
    // A command line it cannot read may hold Qt's own options (-platform …), which only QApplication takes out.
    return !parsed
        || !(parsed->isSet(QStringLiteral("--headless")) || parsed->isSet(QStringLiteral("--help"))
            || parsed->isSet(QStringLiteral("--version")));
}

std::optional<ServerOptions> parseServerOptions(const QStringList &arguments, int *exitCode)
{
    QTextStream err(stderr);
    *exitCode = 2;
    const std::optional<CliArguments> parsed = parseCliArguments(arguments.mid(1), serverSyntax(), err);
    if (!parsed)
        return std::nullopt;
    if (parsed->isSet(QStringLiteral("--help"))) {
        QTextStream(stdout) << serverHelpText(arguments.value(0, QStringLiteral("faultline")));
        *exitCode = 0;
        return std::nullopt;
    }
    if (parsed->isSet(QStringLiteral("--version"))) {
        QTextStream(stdout) << "faultline " << FAULTLINE_VERSION << "\n";
        *exitCode = 0;
        return std::nullopt;
    }
    ServerOptions options;
    for (const QString &positional : parsed->positionals) {
        if (!positional.startsWith(QLatin1String("faultline:"))) {
            err << "faultline: unknown command '" << positional << "' (see --help)\n";
            return std::nullopt;
        }
        options.links.append(positional);
    }

    // The Settings dialog's listen address and data directory apply when no flag overrides them.
    const AppSettings stored = AppSettings::load();
    options.headless = parsed->isSet(QStringLiteral("--headless"));
    options.dbPath = parsed->value(QStringLiteral("--db"));
    if (options.dbPath.isEmpty() && !stored.dataDirectory.isEmpty())
        options.dbPath = QDir(stored.dataDirectory).filePath(QStringLiteral("faultline.db"));
    if (parsed->isSet(QStringLiteral("--log-level")))
        options.logLevel = parsed->value(QStringLiteral("--log-level"));
    if (parsed->isSet(QStringLiteral("--rate-limit"))) {
        const std::optional<qint64> perMinute = parsed->number(QStringLiteral("--rate-limit"), 0, INT_MAX);
        if (!perMinute) {
            err << "faultline: --rate-limit expects a number of events per minute\n";
            return std::nullopt;
        }
        options.projectEventsPerMinute = int(*perMinute);
    }
    options.minFreeBytes = qint64(stored.minFreeMegabytes) << 20;
    options.minFreePercent = stored.minFreePercent;
    if (parsed->isSet(QStringLiteral("--min-free-mb"))) {
        const std::optional<qint64> megabytes = parsed->number(QStringLiteral("--min-free-mb"), 0, INT_MAX);
        if (!megabytes) {
            err << "faultline: --min-free-mb expects a number of megabytes\n";
            return std::nullopt;
        }
        options.minFreeBytes = *megabytes << 20;
        options.minFreePercent = *megabytes == 0 ? 0 : options.minFreePercent;
    }
    options.listenGiven = parsed->isSet(QStringLiteral("--listen"));
    const QString listenText
        = parsed->isSet(QStringLiteral("--listen")) ? parsed->value(QStringLiteral("--listen")) : stored.listenAddress;
    if (!listenText.isEmpty()) {
        QString error;
        const std::optional<ListenAddress> address = parseListenAddress(listenText, &error);
        if (!address) {
            err << "faultline: " << error << "\n";
            return std::nullopt;
        }
        options.listen = *address;
    }
    *exitCode = 0;
    return options;
}

} // namespace faultline
