#pragma once
// Routes and answers collector requests: the Sentry store and envelope
// endpoints, the plain JSON endpoint, CORS pre-flight, and JSON errors for
// everything else. Runs on HTTP threads and never waits for the disk: an
// event's 200 is sent from the writer thread once its batch committed, so a
// 200 means "on disk".
#include "collector/attachment_quota.h"
#include "collector/collector_limits.h"
#include "collector/collector_stats.h"
#include "collector/http_types.h"
#include "collector/ingest_error.h"
#include "collector/pending_request.h"
#include "collector/project_rate_limiter.h"
#include "collector/rejection_log.h"
#include "storage/incoming_event.h"

#include <QHash>
#include <QList>

#include <memory>
#include <mutex>
#include <optional>
#include <variant>

namespace faultline {

class DiskGuard;
class DropLog;
class EventWriter;
class ProjectDirectory;
struct Project;

class IngestHandler {
public:
    // `stats` and `drops` are shared: answers sent after a commit update them, and they may
    // come after this handler is gone (a collector stopped while the writer still drains).
    // `drops` (may be null) records each refusal for the dropped-events view.
    IngestHandler(ProjectDirectory &projects, EventWriter &writer, CollectorLimits limits,
        std::shared_ptr<CollectorStats> stats, DiskGuard &diskGuard, std::shared_ptr<DropLog> drops = {});

    void handle(const HttpRequest &request, Responder respond);
    ProjectRateLimiter &rateLimiter() { return m_rateLimiter; }
    AttachmentQuota &attachmentQuota() { return m_attachmentQuota; }
    // The scrub rules a project opted out of (ScrubOptOut bits, model/secret_text.h); any thread.
    void setScrubOptOuts(qint64 projectId, unsigned keep);
    unsigned scrubOptOuts(qint64 projectId) const;
    // Answer for a request the HTTP layer refused itself (oversized body, bad Content-Length).
    HttpResponse refuse(const IngestError &error, const HttpRequest &request);
    // A refusal decided from the request head alone (a wrong or missing key), before
    // its body is read; nothing when the body is needed to decide (see HttpServer::HeadCheck).
    // Not yet counted or logged: the HTTP layer sends it through refuse().
    std::optional<IngestError> checkHead(const HttpRequest &request);
    // Counts and logs a request libmicrohttpd refused itself (see HttpServer::UnparseableReport).
    void recordUnparseable(int status, const QString &reason);

private:
    // What an endpoint decided: an answer now, a refusal, or its events went to the
    // writer and the PendingRequest answers after their commit.
    struct Queued { };
    using Reply = std::variant<HttpResponse, IngestError, Queued>;
    using Pending = std::shared_ptr<PendingRequest>;
    Reply route(const HttpRequest &request, const Pending &pending);
    HttpResponse health() const;
    Reply handleStore(const HttpRequest &request, const QString &projectId, const Pending &pending);
    Reply handleEnvelope(const HttpRequest &request, const QString &projectId, const Pending &pending);
    Reply handlePlainEvent(const HttpRequest &request, const Pending &pending);

    // Shared steps; each returns the refusal or nothing.
    std::optional<IngestError> authenticate(const QString &projectId, const QString &key, Project *project);
    std::optional<IngestError> plainEventProject(const HttpRequest &request, Project *project);
    std::optional<IngestError> keyFromEnvelopeHeader(const HttpRequest &request, QString *key);
    std::optional<IngestError> decodeBody(const HttpRequest &request, QByteArray *decoded);
    std::optional<IngestError> decodeLegacyEncoding(QByteArray *body);
    void recordClientReport(qint64 projectId, const QByteArray &payload);
    Reply commit(QList<IncomingEvent> events, const QString &answerId, const Pending &pending);
    // Drops the attachments over the project's quota (counted for the dropped-events view);
    // the seconds until the quota's window ends when it dropped any.
    std::optional<int> applyAttachmentQuota(QList<IncomingEvent> &events);
    RefusalSinks sinks() const { return { m_stats, m_rejectionLog, m_drops }; }

    ProjectDirectory &m_projects;
    EventWriter &m_writer;
    const CollectorLimits m_limits;
    const std::shared_ptr<CollectorStats> m_stats;
    const std::shared_ptr<RejectionLog> m_rejectionLog = std::make_shared<RejectionLog>();
    DiskGuard &m_diskGuard;
    const std::shared_ptr<DropLog> m_drops;
    ProjectRateLimiter m_rateLimiter;
    AttachmentQuota m_attachmentQuota;
    mutable std::mutex m_scrubMutex;
    QHash<qint64, unsigned> m_scrubOptOuts;
};

} // namespace faultline
