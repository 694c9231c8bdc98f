#include "app/server_options.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace faultline {

std::optional<ServerOptions> parseServerOptions(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Faultline: a desktop error tracker with an embedded Sentry-compatible collector.\n\n"
        "Commands (run `faultline <command> --help`):\n"
        "  projects [add NAME]   list projects and their DSNs, or create one\n"
        "  issues                list issues (--query Q, --json)\n"
        "  events                list events (--query Q, --limit N, --json)"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run the collector only, no window."));
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("SQLite database file."), QStringLiteral("PATH"));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Collector address (default 127.0.0.1:8990)."),
                                    QStringLiteral("HOST:PORT"));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
                                      QStringLiteral("trace, debug, info, warn, error or off (default info)."),
                                      QStringLiteral("LEVEL"));
    const QCommandLineOption rateLimit(QStringLiteral("rate-limit"),
                                       QStringLiteral("Events per minute accepted per project (default 0 = unlimited)."),
                                       QStringLiteral("N"));
    parser.addOptions({headless, db, listen, logLevel, rateLimit});

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
    if (!parser.positionalArguments().isEmpty()) {
        err << "faultline: unknown command '" << parser.positionalArguments().first() << "' (see --help)\n";
        *exitCode = 2;
        return std::nullopt;
    }

    ServerOptions options;
    options.headless = parser.isSet(headless);
    options.dbPath = parser.value(db);
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
    if (parser.isSet(listen)) {
        QString error;
        const std::optional<ListenAddress> address = parseListenAddress(parser.value(listen), &error);
        if (!address) {
            err << "faultline: " << error << "\n";
            *exitCode = 2;
            return std::nullopt;
        }
        options.listen = *address;
    }
    return options;
}

}  // namespace faultline
