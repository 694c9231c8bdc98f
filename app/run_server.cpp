#include "app/run_server.h"

#include "alerts/alert_engine.h"
#include "app/collector_services.h"
#include "app/instance_channel.h"
#include "app/logging.h"
#include "app/postgres_viewer.h"
#include "app/remote_collector.h"
#include "app/shutdown_signals.h"
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/file_safety.h"
#include "storage/postgres/pg_change_listener.h"
#include "storage/postgres/pg_uri.h"
#include "storage/storage_gateway.h"
#include "ui/app_settings.h"
#include "ui/main_window.h"
#include "ui/startup_failure_dialog.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStatusBar>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <memory>

namespace faultline {

namespace {

QJsonObject helloOf(const QString &role, const ServerOptions &options, const QString &dbPath, const QString &hostPort)
{
    return QJsonObject { { "role", role }, { "mode", options.headless ? "headless" : "desktop" },
        { "pid", QCoreApplication::applicationPid() }, { "collector", hostPort },
        { "db", connectionStringForLog(dbPath) } };
}

QString describeCollector(const QJsonObject &hello)
{
    const QString program = hello.value("mode").toString() == QLatin1String("headless")
        ? QStringLiteral("faultline --headless")
        : QStringLiteral("another Faultline");
    return QStringLiteral("%1 (pid %2)").arg(program).arg(hello.value("pid").toInteger());
}

// Until it starts or the user gives up: headless, the failure is printed and is the exit code;
// with a window, a dialog offers another port, another database, the log, or trying again.
std::unique_ptr<CollectorServices> startCollecting(ServerOptions &options, QString &dbPath, int *exitCode)
{
    for (;;) {
        auto services = std::make_unique<CollectorServices>(options, dbPath, terminationSignalFd());
        const std::optional<StartupFailure> failure = services->start();
        if (!failure)
            return services;
        if (terminationRequested()) { // what failed was given up on: no dialog, no error code
            spdlog::info("terminated while starting ({})", failure->detail.toStdString());
            *exitCode = kExitOk;
            return nullptr;
        }
        spdlog::critical("{} ({})", failure->heading().toStdString(), failure->detail.toStdString());
        *exitCode = failure->exitCode();
        if (options.headless) {
            QTextStream(stderr) << "faultline: " << failure->text() << "\n";
            return nullptr;
        }
        const QString logFile = QDir(QFileInfo(dbPath).absolutePath()).filePath(QStringLiteral("faultline.log"));
        StartupFailureDialog dialog(*failure, logFile, quint16(qMin(65535, options.listen.port + 1)));
        dialog.exec();
        switch (dialog.choice()) {
        case StartupFailureDialog::Choice::Quit:
            return nullptr;
        case StartupFailureDialog::Choice::UseAnotherPort: {
            options.listen.port = dialog.port();
            // DSNs carry the port: the next start must listen where SDKs now send.
            AppSettings settings = AppSettings::load();
            settings.listenAddress
                = QStringLiteral("%1:%2").arg(options.listen.host.toString()).arg(options.listen.port);
            settings.save();
            break;
        }
        case StartupFailureDialog::Choice::OpenAnotherDatabase:
            dbPath = dialog.databasePath();
            break;
        case StartupFailureDialog::Choice::Retry:
            break;
        }
    }
}

std::unique_ptr<InstanceServer> listenForLaunches(MainWindow *window, const QJsonObject &hello, const QString &dbPath)
{
    auto channel = std::make_unique<InstanceServer>(hello);
    QString error;
    if (!channel->listen(instanceSocketPath(dbPath, InstanceRole::Window), &error))
        spdlog::warn("a second launch cannot reach this window: {}", error.toStdString());
    QObject::connect(channel.get(), &InstanceServer::activationRequested, window, [window](const QStringList &args) {
        spdlog::info("another launch asked for the window ({} link(s))", args.size());
        window->activate(args);
    });
    return channel;
}

void wireQuit(MainWindow *window)
{
    // The window may close to the tray while collecting: only an explicit Quit (or a termination
    // signal) ends the process.
    QApplication::setQuitOnLastWindowClosed(false);
    QObject::connect(window, &MainWindow::quitRequested, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
}

// The window over a database another process collects for: no listener of its own, live updates
// and figures from that collector, and quitting leaves it running.
int runViewer(const ServerOptions &options, const QString &dbPath, RemoteCollector &remote)
{
    const QJsonObject hello = remote.hello();
    spdlog::info("{} already collects for {}; opening the window as a viewer", describeCollector(hello).toStdString(),
        dbPath.toStdString());
    StorageGateway storage(dbPath); // the window's and its dialogs' reads and writes
    MainWindowContext context;
    context.dbPath = dbPath;
    context.storage = &storage;
    context.collectorHostPort = hello.value("collector").toString();
    context.collectedBy = describeCollector(hello);
    context.collectorStatus = [&remote] { return remote.status(); };
    MainWindow window(context);
    wireQuit(&window);
    QObject::connect(&remote, &RemoteCollector::batchCommitted, &window, [&window](const BatchSummary &summary) {
        spdlog::debug("live update from the collector: {} events", summary.events);
        window.onBatchCommitted(summary);
    });
    QObject::connect(&remote, &RemoteCollector::disconnected, &window, [&window]() {
        window.statusBar()->showMessage(
            QObject::tr("The collector stopped; no new events arrive until it (or Faultline) starts again."));
    });
    const auto channel
        = listenForLaunches(&window, helloOf("window", options, dbPath, context.collectorHostPort), dbPath);
    window.show();
    window.activate(options.links);
    return execUnlessTerminated();
}

// The window on a PostgreSQL database, as a viewer: no collector here (collectors run elsewhere,
// any number), live updates through LISTEN/NOTIFY. The server is checked first; unreachable is
// the start-up dialog (exit code 9 when the user quits). Nothing when the dialog chose another
// database: `dbPath` then names it.
std::optional<int> runPostgresViewer(const ServerOptions &options, QString &dbPath)
{
    QString warning;
    for (;;) {
        const std::optional<StartupFailure> failure = checkPostgresForWindow(dbPath, &warning, terminationSignalFd());
        if (!failure)
            break;
        if (terminationRequested()) {
            spdlog::info("terminated while checking the database ({})", failure->detail.toStdString());
            return kExitOk;
        }
        spdlog::critical("{} ({})", failure->heading().toStdString(), failure->detail.toStdString());
        const QString logFile
            = QDir(QFileInfo(Database::defaultPath()).absolutePath()).filePath(QStringLiteral("faultline.log"));
        StartupFailureDialog dialog(*failure, logFile, 0);
        dialog.exec();
        if (dialog.choice() == StartupFailureDialog::Choice::Quit)
            return failure->exitCode();
        if (dialog.choice() == StartupFailureDialog::Choice::OpenAnotherDatabase) {
            dbPath = dialog.databasePath();
            return std::nullopt;
        }
    }
    spdlog::info("opening the window as a viewer of {}", connectionStringForLog(dbPath).toStdString());
    StorageGateway storage(dbPath);
    MainWindowContext context;
    context.dbPath = connectionStringForLog(dbPath); // shown, never connected to: no password on screen
    context.storage = &storage;
    context.collectedBy = postgresViewerStatus(dbPath);
    MainWindow window(context);
    wireQuit(&window);
    PgChangeListener listener(dbPath);
    connectLiveUpdates(listener, window, dbPath);
    if (warning.isEmpty())
        listener.start();
    else
        window.setStorageWarning(warning);
    window.show();
    window.activate(options.links);
    return execUnlessTerminated();
}

int runCollecting(ServerOptions options, QString dbPath)
{
    int exitCode = kExitOk;
    const std::unique_ptr<CollectorServices> services = startCollecting(options, dbPath, &exitCode);
    if (!services)
        return exitCode;
    spdlog::info("collector listening on http://{}", services->hostPort().toStdString());

    // A SQLite file has one collector, found by the windows of this machine; a
    // PostgreSQL database has any number, on any hosts, and its windows listen to it (#18).
    const bool solo = !isPostgresUri(dbPath);
    // Viewers (a window started while this collects) get every batch and the figures once a second.
    std::unique_ptr<InstanceServer> channel;
    QTimer statusTimer;
    if (solo) {
        channel = std::make_unique<InstanceServer>(helloOf("collector", options, dbPath, services->hostPort()));
        QString error;
        if (!channel->listen(instanceSocketPath(dbPath, InstanceRole::Collector), &error))
            spdlog::warn("windows started later cannot find this collector: {}", error.toStdString());
        QObject::connect(&services->writer(), &EventWriter::batchCommitted, channel.get(),
            [channel = channel.get()](const BatchSummary &summary) {
                if (channel->subscriberCount() > 0)
                    channel->broadcast(RemoteCollector::batchMessage(summary));
            });
        QObject::connect(&statusTimer, &QTimer::timeout, channel.get(), [channel = channel.get(), &services]() {
            if (channel->subscriberCount() > 0)
                channel->broadcast(RemoteCollector::statusMessage(services->status()));
        });
        statusTimer.start(1000);
    }

    // Alerts fire from committed batches, so they reach people with the window hidden or headless.
    // Their own thread: recording a delivery may wait for the writer's lock.
    QThread alertThread;
    alertThread.setObjectName(QStringLiteral("alerts"));
    // On PostgreSQL every collector runs one; a delivery is claimed first, so each alert goes out once.
    AlertEngine *alerts = new AlertEngine(dbPath);
    if (alerts) {
        alerts->moveToThread(&alertThread);
        QObject::connect(&alertThread, &QThread::finished, alerts, &QObject::deleteLater);
        QObject::connect(&services->writer(), &EventWriter::batchCommitted, alerts, &AlertEngine::onBatchCommitted,
            Qt::QueuedConnection);
        alertThread.start();
    }

    std::unique_ptr<StorageGateway> storage;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<InstanceServer> windowChannel;
    std::unique_ptr<PgChangeListener> listener; // PostgreSQL: what the other collectors and desktops commit
    if (!options.headless) {
        // The window's and its dialogs' reads and writes: one owner, off the GUI thread.
        storage = std::make_unique<StorageGateway>(dbPath);
        MainWindowContext context;
        context.dbPath = solo ? dbPath : connectionStringForLog(dbPath);
        context.storage = storage.get();
        context.collectorHostPort = services->hostPort();
        context.writer = &services->writer();
        context.retention = services->retention();
        context.collectsInProcess = true;
        context.sendTestAlert = [alerts](const AlertRule &rule, const AlertIssue &sample) {
            QMetaObject::invokeMethod(alerts, [alerts, rule, sample]() { alerts->sendTest(rule, sample); });
        };
        context.collectorStatus = [&services] { return services->status(); };
        window = std::make_unique<MainWindow>(context);
        wireQuit(window.get());
        if (!solo) {
            listener = std::make_unique<PgChangeListener>(dbPath);
            connectLiveUpdates(*listener, *window, dbPath);
            listener->start();
        }
        windowChannel
            = listenForLaunches(window.get(), helloOf("window", options, dbPath, context.collectorHostPort), dbPath);
        window->show();
        window->activate(options.links);
    }
    const int code = execUnlessTerminated();
    spdlog::info("shutting down: stopping the collector, then committing queued events");
    windowChannel.reset();
    listener.reset();
    window.reset();
    storage.reset(); // what the window asked to store lands before the writer stops
    if (alerts)
        alerts->stopConnecting(); // deleted only once its thread finished
    alertThread.quit();
    alertThread.wait();
    services->stop();
    return code;
}

} // namespace

int runServer(ServerOptions options)
{
    const bool postgres = isPostgresUri(options.dbPath);
    QString dbPath = options.dbPath.isEmpty() ? Database::defaultPath() : options.dbPath;
    // A PostgreSQL URI names no directory here: the log stays in the default data directory.
    const QString dataDirectory = QFileInfo(postgres ? Database::defaultPath() : dbPath).absolutePath();
    QString logError;
    if (!setUpLogging(dataDirectory, options.logLevel, &logError))
        spdlog::warn("{}", logError.toStdString());
    spdlog::info("faultline {} starting ({}), database {}", FAULTLINE_VERSION,
        options.headless ? "headless" : "desktop", connectionStringForLog(dbPath).toStdString());
    // Files made by an older version (or another umask) are readable by others: fix that, and say so.
    const QString privateDirectory = options.dbPath.isEmpty() ? dataDirectory : QString();
    if (!postgres)
        for (const QString &change : tightenDataFiles(dbPath, privateDirectory))
            spdlog::warn("{}", change.toStdString());

    // From the start: a SIGTERM while the collector or the window is still starting (systemctl
    // stop, logout) then ends it through the same drain instead of killing it (see execUnlessTerminated).
    quitOnTerminationSignals();
    int code = kExitOk;
    // The window on PostgreSQL views it; --listen makes this process collect into it too.
    std::optional<int> viewed;
    if (postgres && !options.headless && !options.listenGiven)
        viewed = runPostgresViewer(options, dbPath); // nothing: its start-up dialog chose a file instead
    if (viewed) {
        code = *viewed;
    } else if (isPostgresUri(dbPath)) {
        code = runCollecting(std::move(options), dbPath); // any number of collectors per database
    } else if (!options.headless
        && askInstance(instanceSocketPath(dbPath, InstanceRole::Window), activationRequest(options.links))) {
        spdlog::info("Faultline already runs for {}: showed its window", dbPath.toStdString());
        QTextStream(stdout) << "faultline: already running for " << dbPath << "; showed its window\n";
    } else if (RemoteCollector remote(instanceSocketPath(dbPath, InstanceRole::Collector)); remote.connectNow()) {
        if (options.headless) {
            StartupFailure failure;
            failure.problem = StartupProblem::AlreadyCollecting;
            failure.dbPath = dbPath;
            failure.detail = describeCollector(remote.hello()) + QStringLiteral(" on ")
                + remote.hello().value("collector").toString();
            QTextStream(stderr) << "faultline: " << failure.text() << "\n";
            code = failure.exitCode();
        } else {
            code = runViewer(options, dbPath, remote);
        }
    } else {
        code = runCollecting(std::move(options), dbPath);
    }
    spdlog::info("stopped");
    spdlog::shutdown();
    return code;
}

} // namespace faultline
