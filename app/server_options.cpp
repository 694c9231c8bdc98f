#include "app/server_options.h"

#include "ui/app_settings.h"

#include <QCommandLineParser>
#include <QDir>
#include <QTextStream>

namespace faultline {

std::optional<ServerOptions> parseServerOptions(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Faultline: a desktop error tracker with an embedded Sentry-compatible collector.\n\n"
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
                       "writable, 7 disk full, 8 another collector already serves this database (--headless)."));
    parser.addPositionalArgument(QStringLiteral("link"), QStringLiteral("A faultline://issue/ID link to open."),
        QStringLiteral("[faultline://issue/ID]"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run the collector only, no window."));
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("SQLite database file."), QStringLiteral("PATH"));
    const QCommandLineOption listen(QStringLiteral("listen"),
        QStringLiteral("Collector address (default 127.0.0.1:8990)."), QStringLiteral("HOST:PORT"));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
        QStringLiteral("trace, debug, info, warn, error or off (default info)."), QStringLiteral("LEVEL"));
    const QCommandLineOption rateLimit(QStringLiteral("rate-limit"),
        QStringLiteral("Events per minute accepted per project (default 0 = unlimited)."), QStringLiteral("N"));
    const QCommandLineOption minFree(QStringLiteral("min-free-mb"),
        QStringLiteral("Refuse events (507) while the database's disk has less than N MB "
                       "or 5 % free, whichever is smaller (default 1024; 0 = off)."),
        QStringLiteral("N"));
    parser.addOptions({ headless, db, listen, logLevel, rateLimit, minFree });

    QTextStream err(stderr);
    if (!parser.parse(arguments)) {
        err << "faultline: " << parser.errorText() << "\n";
        *exitCode = 2;
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        *exitCode = 0;
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        QTextStream(stdout) << "faultline " << FAULTLINE_VERSION << "\n";
        *exitCode = 0;
        return std::nullopt;
    }
    ServerOptions options;
    for (const QString &positional : parser.positionalArguments()) {
        if (!positional.startsWith(QLatin1String("faultline:"))) {
            err << "faultline: unknown command '" << positional << "' (see --help)\n";
            *exitCode = 2;
            return std::nullopt;
        }
        options.links.append(positional);
    }

    // The Settings dialog's listen address and data directory apply when no flag overrides them.
    const AppSettings stored = AppSettings::load();
    options.headless = parser.isSet(headless);
    options.dbPath = parser.value(db);
    if (options.dbPath.isEmpty() && !stored.dataDirectory.isEmpty())
        options.dbPath = QDir(stored.dataDirectory).filePath(QStringLiteral("faultline.db"));
    if (parser.isSet(logLevel))
        options.logLevel = parser.value(logLevel);
    if (parser.isSet(rateLimit)) {
        bool ok = false;
        options.projectEventsPerMinute = parser.value(rateLimit).toInt(&ok);
        if (!ok || options.projectEventsPerMinute < 0) {
            err << "faultline: --rate-limit expects a number of events per minute\n";
            *exitCode = 2;
            return std::nullopt;
        }
    }
    options.minFreeBytes = qint64(stored.minFreeMegabytes) << 20;
    options.minFreePercent = stored.minFreePercent;
    if (parser.isSet(minFree)) {
        bool ok = false;
        const int megabytes = parser.value(minFree).toInt(&ok);
        if (!ok || megabytes < 0) {
            err << "faultline: --min-free-mb expects a number of megabytes\n";
            *exitCode = 2;
            return std::nullopt;
        }
        options.minFreeBytes = qint64(megabytes) << 20;
        options.minFreePercent = megabytes == 0 ? 0 : options.minFreePercent;
    }
    const QString listenText = parser.isSet(listen) ? parser.value(listen) : stored.listenAddress;
    if (!listenText.isEmpty()) {
        QString error;
        const std::optional<ListenAddress> address = parseListenAddress(listenText, &error);
        if (!address) {
            err << "faultline: " << error << "\n";
            *exitCode = 2;
            return std::nullopt;
        }
        options.listen = *address;
    }
    return options;
}

} // namespace faultline
