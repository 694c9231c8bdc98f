#pragma once
// The collecting half of faultline (storage writer, HTTP collector, retention),
// started in order with every failure a user can act on named: data directory
// not writable, disk full, database unopenable or too new, port in use.
// Stopping drains: the collector stops taking requests, then the writer
// commits what it acknowledged. The database is a SQLite file or, for a team
// (#18), a PostgreSQL URI: then there is no data directory or disk to check,
// the server must answer at start, and retention is not this process's job.
#include "app/server_options.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "ui/main_window_context.h"
#include "ui/startup_failure.h"

#include <QString>

#include <memory>
#include <optional>

namespace faultline {

class Collector;
class EventWriter;
class McpHttpEndpoint;
class RetentionScheduler;

class CollectorServices {
public:
    // `dbPath`: a file path or a postgresql:// URI. `startStopFd`: the read end of a pipe
    // (the termination signals') that ends start()'s PostgreSQL connects and host name
    // look-ups, which would otherwise hold a SIGTERM until the network gave up.
    CollectorServices(ServerOptions options, QString dbPath, int startStopFd = -1);
    ~CollectorServices(); // stop()
    CollectorServices(const CollectorServices &) = delete;
    CollectorServices &operator=(const CollectorServices &) = delete;

    std::optional<StartupFailure> start();
    void stop();

    EventWriter &writer() const { return *m_writer; }
    Collector &collector() const { return *m_collector; }
    RetentionScheduler *retention() const { return m_retention.get(); } // none on PostgreSQL
    CollectorStatus status() const;
    QString hostPort() const;

    // Below this, even creating the schema may fail half-way: refuse to start.
    static constexpr qint64 kMinimumFreeBytes = 4 * 1024 * 1024;

private:
    std::optional<StartupFailure> checkDataDirectory() const;
    std::optional<StartupFailure> checkDatabaseFile() const;
    std::optional<StartupFailure> preparePostgres() const;
    StartupFailure failure(StartupProblem problem, const QString &detail) const;
    bool prepareDatabase(QString *error);
    bool preparePostgresCollector(QString *error);
    void logDsns(const QList<Project> &projects) const;
    // Stored per-project rate limits, attachment quotas and scrub opt-outs, read at start on either backend.
    void applyProjectLimits(const QList<ProjectSettings> &limits);

    ServerOptions m_options;
    QString m_dbPath;
    int m_startStopFd = -1;
    bool m_postgres = false;
    std::unique_ptr<EventWriter> m_writer;
    std::unique_ptr<Collector> m_collector;
    std::unique_ptr<RetentionScheduler> m_retention;
    std::shared_ptr<McpHttpEndpoint> m_mcp; // /mcp's: calls in flight hold it too, on the global thread pool
};

} // namespace faultline
