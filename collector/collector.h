#pragma once
// The embedded collector: HTTP server + ingestion handler + project lookup,
// writing through the shared EventWriter.
#include "collector/collector_limits.h"
#include "collector/collector_stats.h"
#include "collector/disk_guard.h"
#include "collector/http_server.h"

#include <QHash>
#include <QString>

#include <memory>

namespace faultline {

class EventWriter;

struct CollectorOptions {
    HttpServerOptions http;
    CollectorLimits limits;
    // Endpoints served beside ingestion, by exact path (app/ puts the MCP
    // endpoint at /mcp). They get the HTTP layer's limits but none of the
    // ingestion's auth, CORS or counters: each guards itself.
    QHash<QString, HttpServer::Handler> extraRoutes;
    // Free space on the database's filesystem below which events get a 507 (no source = never).
    DiskGuardOptions diskGuard;
};

class Collector {
public:
    Collector(const CollectorOptions &options, const QString &dbPath, EventWriter &writer);
    ~Collector();

    bool start(QString *error);
    void stop();

    QString hostPort() const; // "127.0.0.1:8990", as it goes into a DSN
    quint16 port() const;
    const CollectorStats &stats() const;
    // Free space on the database's disk, read at most once per the guard's interval.
    DiskState diskState();
    // Refusals reach the database every few seconds; this writes the pending ones now.
    bool flushDropLog(QString *error = nullptr);
    // Events per minute for one project (0 = unlimited); overrides the default in CollectorLimits.
    void setProjectRateLimit(qint64 projectId, int eventsPerMinute);
    // Attachment bytes the project may store per hour; 0 = unlimited.
    void setProjectAttachmentQuota(qint64 projectId, qint64 bytesPerHour);
    // Scrub rules the project opted out of (ScrubOptOut bits, model/secret_text.h).
    void setProjectScrubOptOuts(qint64 projectId, unsigned keep);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace faultline
