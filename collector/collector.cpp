#include "collector/collector.h"

#include "collector/ingest_handler.h"
#include "collector/project_directory.h"
#include "storage/drop_log.h"

namespace faultline {

struct Collector::Private {
    CollectorOptions options;
    std::shared_ptr<CollectorStats> stats = std::make_shared<CollectorStats>();
    std::shared_ptr<DropLog> drops;
    DiskGuard diskGuard;
    ProjectDirectory projects;
    IngestHandler handler;
    HttpServer server;

    Private(const CollectorOptions &opts, const QString &dbPath, EventWriter &writer)
        : options(opts)
        , drops(std::make_shared<DropLog>(dbPath))
        , diskGuard(opts.diskGuard)
        , projects(dbPath)
        , handler(projects, writer, opts.limits, stats, diskGuard, drops)
        , server(
              withBodyLimit(opts),
              [this](const HttpRequest &request, Responder respond) {
                  const auto extra = options.extraRoutes.constFind(request.path);
                  if (extra != options.extraRoutes.constEnd())
                      return extra.value()(request, std::move(respond));
                  handler.handle(request, std::move(respond));
              },
              [this](const IngestError &error, const HttpRequest &request) { return handler.refuse(error, request); },
              [this](int status, const QString &reason) { handler.recordUnparseable(status, reason); })
    {
        server.setHeadCheck([this](const HttpRequest &request) { return handler.checkHead(request); });
    }

    static HttpServerOptions withBodyLimit(const CollectorOptions &opts)
    {
        HttpServerOptions http = opts.http;
        http.maxBodyBytes = opts.limits.maxBodyBytes;
        return http;
    }
};

Collector::Collector(const CollectorOptions &options, const QString &dbPath, EventWriter &writer)
    : d(std::make_unique<Private>(options, dbPath, writer))
{
}

Collector::~Collector() { stop(); }

bool Collector::start(QString *error)
{
    d->projects.start();
    return d->server.start(error);
}

void Collector::stop()
{
    d->projects.stop(); // first: the server waits for the requests in flight
    d->server.stop();
}
quint16 Collector::port() const { return d->server.port(); }
const CollectorStats &Collector::stats() const { return *d->stats; }

DiskState Collector::diskState() { return d->diskGuard.check(); }

bool Collector::flushDropLog(QString *error) { return d->drops->flush(error); }

void Collector::setProjectRateLimit(qint64 projectId, int eventsPerMinute)
{
    d->handler.rateLimiter().setLimit(projectId, eventsPerMinute);
}

void Collector::setProjectAttachmentQuota(qint64 projectId, qint64 bytesPerHour)
{
    d->handler.attachmentQuota().setQuota(projectId, bytesPerHour);
}

void Collector::setProjectScrubOptOuts(qint64 projectId, unsigned keep) { d->handler.setScrubOptOuts(projectId, keep); }

QString Collector::hostPort() const
{
    const QHostAddress &address = d->options.http.address;
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(address.toString())
        : address.toString();
    return QStringLiteral("%1:%2").arg(host).arg(port());
}

} // namespace faultline
