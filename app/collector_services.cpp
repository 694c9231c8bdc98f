#include "app/collector_services.h"

#include "app/mcp_http_route.h"
#include "collector/collector.h"
#include "collector/ingest_error.h"
#include "model/scrub.h"
#include "storage/app_state.h"
#include "storage/backend.h"
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/migrations.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_partitions.h"
#include "storage/postgres/pg_project_store.h"
#include "storage/postgres/pg_uri.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/retention_scheduler.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>
#include <QTcpServer>
#include <QTemporaryFile>

#include <spdlog/spdlog.h>

#include <mutex>

namespace faultline {

namespace {

// Where the collector listens, for the DSNs of its /mcp: known once it has bound
// its port (--listen may ask for any free one). MCP requests read it on pool
// threads and may outlive the collector, so they share this rather than point at it.
struct ListenedAddress {
    std::mutex mutex;
    QString hostPort;
};

} // namespace

CollectorServices::CollectorServices(ServerOptions options, QString dbPath, int startStopFd)
    : m_options(std::move(options))
    , m_dbPath(std::move(dbPath))
    , m_startStopFd(startStopFd)
    , m_postgres(isPostgresUri(m_dbPath))
{
}

CollectorServices::~CollectorServices() { stop(); }

StartupFailure CollectorServices::failure(StartupProblem problem, const QString &detail) const
{
    StartupFailure result;
    result.problem = problem;
    result.detail = detail;
    result.dbPath = m_postgres ? connectionStringForLog(m_dbPath) : m_dbPath;
    result.listenAddress = QStringLiteral("%1:%2").arg(m_options.listen.host.toString()).arg(m_options.listen.port);
    return result;
}

std::optional<StartupFailure> CollectorServices::checkDataDirectory() const
{
    const QString directory = QFileInfo(m_dbPath).absolutePath();
    if (!QDir().mkpath(directory))
        return failure(StartupProblem::DataDirectoryNotWritable, QStringLiteral("cannot create %1").arg(directory));
    // Permissions say little (root, ACLs, read-only mounts): try what the database will do.
    QTemporaryFile probe(QDir(directory).filePath(QStringLiteral(".faultline-write-check-XXXXXX")));
    if (!probe.open())
        return failure(StartupProblem::DataDirectoryNotWritable, probe.errorString());
    const QStorageInfo storage(directory);
    if (storage.isValid() && storage.bytesAvailable() < kMinimumFreeBytes)
        return failure(StartupProblem::DiskFull,
            QStringLiteral("%1 bytes free on %2, at least %3 needed")
                .arg(storage.bytesAvailable())
                .arg(storage.rootPath())
                .arg(kMinimumFreeBytes));
    return std::nullopt;
}

std::optional<StartupFailure> CollectorServices::checkDatabaseFile() const
{
    if (!QFileInfo::exists(m_dbPath))
        return std::nullopt; // created on first start
    QString error;
    const int version = Database::storedSchemaVersion(m_dbPath, &error);
    if (version < 0)
        return failure(StartupProblem::DatabaseUnopenable, error);
    if (version > latestSchemaVersion())
        return failure(StartupProblem::DatabaseTooNew,
            QStringLiteral("schema version %1; this Faultline %2 reads up to %3")
                .arg(version)
                .arg(QStringLiteral(FAULTLINE_VERSION))
                .arg(latestSchemaVersion()));
    return std::nullopt;
}

// The server answers, the schema is current (migrated under an advisory lock:
// collectors starting together migrate once), and a fresh database has its
// default project, as a fresh SQLite file has.
std::optional<StartupFailure> CollectorServices::preparePostgres() const
{
    PgResult<std::unique_ptr<PgConnection>> connection = PgConnection::openStoppable(m_dbPath, m_startStopFd);
    if (!connection)
        return failure(connection.error().kind == PgError::Kind::Connection ? StartupProblem::DatabaseUnreachable
                                                                            : StartupProblem::DatabaseUnopenable,
            connection.error().message);
    const PgResult<int> migrated = migratePostgres(*connection.value());
    if (!migrated)
        return failure(migrated.error().kind == PgError::Kind::Schema ? StartupProblem::DatabaseTooNew
                : migrated.error().kind == PgError::Kind::Connection  ? StartupProblem::DatabaseUnreachable
                                                                      : StartupProblem::DatabaseUnopenable,
            migrated.error().message);
    if (const StorageResult<void> added = PgProjectStore(*connection.value()).addDefaultWhenEmpty(); !added)
        return failure(StartupProblem::DatabaseUnopenable, added.error().detail);
    ensureMcpToken(*connection.value());
    // The first events of this month and the next wait for no CREATE TABLE (retention keeps it so).
    if (PgStatus ahead = PgPartitions().ensureMonthsAhead(*connection.value(), QDateTime::currentMSecsSinceEpoch());
        !ahead)
        spdlog::warn("cannot make this and next month's partitions: {}", ahead.error().message.toStdString());
    return std::nullopt;
}

std::optional<StartupFailure> CollectorServices::start()
{
    if (m_postgres) {
        if (auto problem = preparePostgres())
            return problem;
    } else {
        if (auto problem = checkDataDirectory())
            return problem;
        if (auto problem = checkDatabaseFile())
            return problem;
    }

    QString error;
    m_writer = std::make_unique<EventWriter>(m_dbPath);
    if (!m_writer->start(&error)) {
        m_writer.reset();
        // A full disk shows up as SQLITE_FULL while creating or migrating the schema.
        const bool full = error.contains(QLatin1String("disk is full"), Qt::CaseInsensitive);
        // PostgreSQL answered a moment ago (preparePostgres): gone again, it is unreachable.
        return failure(full  ? StartupProblem::DiskFull
                : m_postgres ? StartupProblem::DatabaseUnreachable
                             : StartupProblem::DatabaseUnopenable,
            error);
    }

    CollectorOptions collectorOptions;
    collectorOptions.http.address = m_options.listen.host;
    collectorOptions.http.port = m_options.listen.port;
    collectorOptions.limits.projectEventsPerMinute = m_options.projectEventsPerMinute;
    collectorOptions.diskGuard.minFreeBytes = m_options.minFreeBytes;
    collectorOptions.diskGuard.minFreePercent = m_options.minFreePercent;
    if (!m_postgres) // the PostgreSQL server's disk is its administrator's to watch
        collectorOptions.diskGuard.source = filesystemFreeSpace(m_dbPath);
    // MCP's streamable HTTP transport for coding agents (127.0.0.1 peers, key or token; see mcp/http_endpoint.h).
    auto listened = std::make_shared<ListenedAddress>();
    m_mcp = std::make_shared<McpHttpEndpoint>(m_dbPath, [listened](const StorageBackend &) {
        const std::lock_guard lock(listened->mutex);
        return listened->hostPort;
    });
    collectorOptions.extraRoutes.insert(QStringLiteral("/mcp"), mcpHttpRoute(m_mcp));
    if (!m_options.listen.host.isLoopback())
        spdlog::warn("collector listens on {} which is reachable from other machines",
            m_options.listen.host.toString().toStdString());
    m_collector = std::make_unique<Collector>(collectorOptions, m_dbPath, *m_writer);
    if (!m_collector->start(&error)) {
        m_collector.reset();
        m_writer->stop();
        m_writer.reset();
        QTcpServer probe; // did the bind fail because someone has the address?
        const bool inUse = !probe.listen(m_options.listen.host, m_options.listen.port)
            && probe.serverError() == QAbstractSocket::AddressInUseError;
        return failure(inUse ? StartupProblem::PortInUse : StartupProblem::Other, error);
    }
    {
        const std::lock_guard lock(listened->mutex);
        listened->hostPort = hostPort();
    }
    if (!(m_postgres ? preparePostgresCollector(&error) : prepareDatabase(&error))) {
        stop();
        return failure(m_postgres ? StartupProblem::DatabaseUnreachable : StartupProblem::DatabaseUnopenable, error);
    }
    // Per-project age and count limits, pruned off the GUI and writer threads
    // (on PostgreSQL by dropping expired months whole).
    m_retention = std::make_unique<RetentionScheduler>(m_dbPath); // logs what it deleted and what failed
    m_retention->start();
    return std::nullopt;
}

// Several collectors share one PostgreSQL database (behind a load balancer),
// so none of them publishes its own address for the CLI's DSNs.
bool CollectorServices::preparePostgresCollector(QString *error)
{
    StorageResult<std::unique_ptr<StorageBackend>> backend
        = openStorageBackend(m_dbPath, BackendUse::Write, m_startStopFd);
    if (!backend) {
        *error = backend.error().detail;
        return false;
    }
    applyProjectLimits(backend.value()->limits().all());
    logDsns(backend.value()->projects().all());
    return true;
}

void CollectorServices::applyProjectLimits(const QList<ProjectSettings> &limits)
{
    for (const ProjectSettings &settings : limits) {
        if (settings.eventsPerMinute > 0)
            m_collector->setProjectRateLimit(settings.projectId, settings.eventsPerMinute);
        m_collector->setProjectAttachmentQuota(settings.projectId, qint64(settings.attachmentMiBPerHour) << 20);
        if (const std::optional<unsigned> keep = parseScrubOptOuts(settings.scrubOptOuts); keep && *keep)
            m_collector->setProjectScrubOptOuts(settings.projectId, *keep);
    }
}

void CollectorServices::logDsns(const QList<Project> &projects) const
{
    for (const Project &project : projects)
        spdlog::info("project {} '{}': DSN {}", project.id, project.name.toStdString(),
            ProjectStore::dsn(project, hostPort()).toStdString());
}

// Publishes where the collector listens (for DSNs printed by the CLI), applies
// stored per-project rate limits, and logs how services reach each project.
bool CollectorServices::prepareDatabase(QString *error)
{
    const std::unique_ptr<Database> db = Database::open(m_dbPath, Database::Mode::ReadWrite, error);
    if (!db)
        return false;
    QString publishError;
    if (!writeAppState(*db, kCollectorAddressKey, hostPort(), &publishError))
        spdlog::warn("cannot publish the collector address for the CLI: {}", publishError.toStdString());
    ensureMcpToken(*db);
    applyProjectLimits(ProjectSettingsStore(*db).all());
    logDsns(ProjectStore(*db).all());
    return true;
}

void CollectorServices::stop()
{
    if (m_mcp) // first: the collector waits for the answers in flight, /mcp's too
        m_mcp->stop();
    if (m_retention)
        m_retention->stop();
    if (m_collector)
        m_collector->stop();
    if (m_writer)
        m_writer->stop();
    m_retention.reset();
    m_collector.reset();
    m_writer.reset();
    m_mcp.reset();
}

CollectorStatus CollectorServices::status() const
{
    if (!m_collector)
        return {};
    const CollectorStats &stats = m_collector->stats();
    CollectorStatus status;
    status.acceptedEvents = stats.acceptedEvents.load();
    status.rejectedRequests = stats.rejectedRequests.load();
    status.rateLimited = stats.rateLimited.load();
    status.clientDiscarded = stats.clientDiscarded.load();
    // What makes /health a 503 (collector/ingest_handler.cpp), for the window's banner.
    if (const DiskState disk = m_collector->diskState(); disk.low) {
        status.refusing = disk.problem;
        status.refusingStatus = httpStatus(IngestErrorKind::DiskFull);
    } else if (const StorageState storage = m_writer->storageState(); storage != StorageState::Ok) {
        status.refusing = storageProblem(storage);
        status.refusingStatus = httpStatus(IngestErrorKind::StoreFailed);
    }
    return status;
}

QString CollectorServices::hostPort() const { return m_collector ? m_collector->hostPort() : QString(); }

} // namespace faultline
