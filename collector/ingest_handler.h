#pragma once
// Routes and answers collector requests: the Sentry store and envelope
// endpoints, the plain JSON endpoint, CORS pre-flight, and JSON errors for
// everything else. Runs on HTTP threads; blocks until the writer has
// committed the event, so a 200 means "on disk".
#include "collector/collector_limits.h"
#include "collector/collector_stats.h"
#include "collector/http_types.h"
#include "collector/project_rate_limiter.h"
#include "collector/rejection_log.h"
#include "storage/incoming_event.h"

#include <QList>

namespace faultline {

class EventWriter;
class ProjectDirectory;
struct Project;

class IngestHandler {
public:
    IngestHandler(ProjectDirectory &projects, EventWriter &writer, CollectorLimits limits, CollectorStats &stats);

    HttpResponse handle(const HttpRequest &request);
    ProjectRateLimiter &rateLimiter() { return m_rateLimiter; }
    // Answer for a request the HTTP layer refused itself (oversized body, bad Content-Length).
    HttpResponse refuse(int status, const QString &reason, const HttpRequest &request);

private:
    HttpResponse route(const HttpRequest &request);
    HttpResponse handleStore(const HttpRequest &request, const QString &projectId);
    HttpResponse handleEnvelope(const HttpRequest &request, const QString &projectId);
    HttpResponse handlePlainEvent(const HttpRequest &request);

    // Shared steps; each returns an error response or nothing.
    std::optional<HttpResponse> findProject(const QString &projectId, Project *project);
    std::optional<HttpResponse> checkKey(const Project &project, const QString &key);
    std::optional<HttpResponse> decodeBody(const HttpRequest &request, QByteArray *decoded);
    void recordClientReport(qint64 projectId, const QByteArray &payload);
    HttpResponse commit(QList<IncomingEvent> events, const QString &answerId);

    HttpResponse rejected(const HttpRequest &request, HttpResponse response);

    ProjectDirectory &m_projects;
    EventWriter &m_writer;
    const CollectorLimits m_limits;
    CollectorStats &m_stats;
    RejectionLog m_rejectionLog;
    ProjectRateLimiter m_rateLimiter;
};

}  // namespace faultline
