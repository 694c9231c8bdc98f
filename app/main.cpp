// faultline: the desktop app, the headless collector, and the CLI.
#include "alerts/alert_engine.h"
#include "app/cli_commands.h"
#include "app/cli_db_check.h"
#include "app/cli_mcp.h"
#include "app/cli_pages.h"
#include "app/cli_prune.h"
#include "app/logging.h"
#include "app/mcp_http_route.h"
#include "app/server_options.h"
#include "app/shutdown_signals.h"
#include "collector/collector.h"
#include "storage/app_state.h"
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/file_safety.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/retention_scheduler.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>
#include <QThread>

#include <spdlog/spdlog.h>

#include <memory>

#include <sys/stat.h>

using namespace faultline;

namespace {

const QStringList kCliCommands{QStringLiteral("projects"), QStringLiteral("issues"), QStringLiteral("issue"),
                               QStringLiteral("events"), QStringLiteral("event"), QStringLiteral("pages"),
                               QStringLiteral("prune"), QStringLiteral("mcp"), QStringLiteral("db")};

void setApplicationIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("faultline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FAULTLINE_VERSION));
}

// Creates/migrates the database, publishes where the collector listens (for
// DSNs printed by the CLI), applies stored per-project rate limits, and logs
// how services reach each project.
bool prepareDatabase(const QString &dbPath, Collector &collector)
{
    QString error;
    const std::unique_ptr<Database> db = Database::open(dbPath, Database::Mode::ReadWrite, &error);
    if (!db) {
        spdlog::critical("cannot open database {}: {}", dbPath.toStdString(), error.toStdString());
        return false;
    }
    if (!writeAppState(*db, kCollectorAddressKey, collector.hostPort(), &error))
        spdlog::warn("cannot publish the collector address for the CLI: {}", error.toStdString());
    ensureMcpToken(dbPath);
    for (const ProjectSettings &settings : ProjectSettingsStore(*db).all())
        if (settings.eventsPerMinute > 0)
            collector.setProjectRateLimit(settings.projectId, settings.eventsPerMinute);
    for (const Project &project : ProjectStore(*db).all())
        spdlog::info("project {} '{}': DSN {}", project.id, project.name.toStdString(),
                     ProjectStore::dsn(project, collector.hostPort()).toStdString());
    return true;
}

int runServer(const ServerOptions &options)
{
    const QString dbPath = options.dbPath.isEmpty() ? Database::defaultPath() : options.dbPath;
    QString logError;
    if (!setUpLogging(QFileInfo(dbPath).absolutePath(), options.logLevel, &logError))
        spdlog::warn("{}", logError.toStdString());
    spdlog::info("faultline {} starting ({}), database {}", FAULTLINE_VERSION,
                 options.headless ? "headless" : "desktop", dbPath.toStdString());
    // Files made by an older version (or another umask) are readable by others: fix that, and say so.
    const QString privateDirectory = options.dbPath.isEmpty() ? QFileInfo(dbPath).absolutePath() : QString();
    for (const QString &change : tightenDataFiles(dbPath, privateDirectory))
        spdlog::warn("{}", change.toStdString());

    EventWriter writer(dbPath);
    QString error;
    if (!writer.start(&error)) {
        spdlog::critical("cannot start the storage writer: {}", error.toStdString());
        return 1;
    }

    CollectorOptions collectorOptions;
    collectorOptions.http.address = options.listen.host;
    collectorOptions.http.port = options.listen.port;
    collectorOptions.limits.projectEventsPerMinute = options.projectEventsPerMinute;
    // MCP's streamable HTTP transport for coding agents (127.0.0.1 peers, key or token; see mcp/http_endpoint.h).
    collectorOptions.extraRoutes.insert(QStringLiteral("/mcp"), mcpHttpRoute(dbPath));
    if (!options.listen.host.isLoopback())
        spdlog::warn("collector listens on {} which is reachable from other machines",
                     options.listen.host.toString().toStdString());
    Collector collector(collectorOptions, dbPath, writer);
    if (!collector.start(&error)) {
        spdlog::critical("{}", error.toStdString());
        return 1;
    }
    if (!prepareDatabase(dbPath, collector))
        return 1;
    spdlog::info("collector listening on http://{}", collector.hostPort().toStdString());

    // Per-project age and count limits, pruned off the GUI and writer threads.
    RetentionScheduler retention(dbPath);  // logs what it deleted and what failed
    retention.start();

    // Alerts fire from committed batches, so they reach people with the window hidden or headless.
    // Their own thread: recording a delivery may wait for the writer's lock.
    QThread alertThread;
    alertThread.setObjectName(QStringLiteral("alerts"));
    auto *alerts = new AlertEngine(dbPath);
    alerts->moveToThread(&alertThread);
    QObject::connect(&alertThread, &QThread::finished, alerts, &QObject::deleteLater);
    QObject::connect(&writer, &EventWriter::batchCommitted, alerts, &AlertEngine::onBatchCommitted,
                     Qt::QueuedConnection);
    alertThread.start();

    quitOnTerminationSignals();
    std::unique_ptr<MainWindow> window;
    if (!options.headless) {
        MainWindowContext context;
        context.dbPath = dbPath;
        context.collectorHostPort = collector.hostPort();
        context.writer = &writer;
        context.retention = &retention;
        context.sendTestAlert = [alerts](const AlertRule &rule, const AlertIssue &sample) {
            QMetaObject::invokeMethod(alerts, [alerts, rule, sample]() { alerts->sendTest(rule, sample); });
        };
        context.collectorStatus = [&collector] {
            const CollectorStats &stats = collector.stats();
            return CollectorStatus{stats.acceptedEvents.load(), stats.rejectedRequests.load(),
                                   stats.rateLimited.load(), stats.clientDiscarded.load()};
        };
        window = std::make_unique<MainWindow>(context);
        window->show();
    }
    const int code = QCoreApplication::exec();
    spdlog::info("shutting down: stopping the collector, then committing queued events");
    window.reset();
    alertThread.quit();
    alertThread.wait();
    retention.stop();
    collector.stop();
    writer.stop();
    spdlog::info("stopped");
    spdlog::shutdown();
    return code;
}

}  // namespace

int main(int argc, char *argv[])
{
    // The database, its WAL and the log hold DSN keys and event data: owner only.
    ::umask(077);
    if (argc > 1 && kCliCommands.contains(QString::fromLocal8Bit(argv[1]))) {
        QCoreApplication app(argc, argv);
        setApplicationIdentity();
        spdlog::set_level(spdlog::level::warn);  // the CLI's output is its answer; keep stderr for problems
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
        if (command == QLatin1String("db"))
            return runDbCommand(args, out, err);
        return runCliCommand(command, args, out, err);
    }

    // --help and --version must work without a display, like --headless.
    bool windowless = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        windowless = windowless || arg == "--headless" || arg == "--help" || arg == "-h" || arg == "--version" ||
                     arg == "-v";
    }
    std::unique_ptr<QCoreApplication> app = windowless ? std::make_unique<QCoreApplication>(argc, argv)
                                                       : std::make_unique<QApplication>(argc, argv);
    setApplicationIdentity();
    int exitCode = 0;
    const std::optional<ServerOptions> options = parseServerOptions(app->arguments(), &exitCode);
    if (!options)
        return exitCode;
    return runServer(*options);
}
