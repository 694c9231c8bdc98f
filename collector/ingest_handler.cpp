#include "collector/ingest_handler.h"

#include "collector/content_decoder.h"
#include "collector/disk_guard.h"
#include "collector/error_response.h"
#include "collector/project_directory.h"
#include "collector/refused_request.h"
#include "collector/sentry_auth.h"
#include "model/envelope.h"
#include "model/event_parser.h"
#include "model/json_object.h"
#include "model/scrub.h"
#include "storage/drop_log.h"
#include "storage/event_writer.h"
#include "storage/page_queries.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

const QRegularExpression kSentryRoute(QStringLiteral("^/api/([^/]+)/(store|envelope)/?$"));
const QString kPlainRoute = QStringLiteral("/api/events");
// An envelope header holds a dsn, an event id, an sdk name and a trace: never this much.
constexpr qint64 kMaxEnvelopeHeaderBytes = 64 * 1024;

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

// The CORS pre-flight; PendingRequest adds the headers every answer gets.
HttpResponse preflight()
{
    HttpResponse response;
    response.status = 204;
    response.contentType.clear();
    return response.withHeader("Access-Control-Allow-Methods", "POST, OPTIONS")
        .withHeader("Access-Control-Allow-Headers",
            "Content-Type, Content-Encoding, Authorization, X-Sentry-Auth, sentry-trace, baggage")
        .withHeader("Access-Control-Max-Age", "3600");
}

RequestLine lineOf(const HttpRequest &request) { return { request.method, request.path, request.peer }; }

} // namespace

IngestHandler::IngestHandler(ProjectDirectory &projects, EventWriter &writer, CollectorLimits limits,
    std::shared_ptr<CollectorStats> stats, DiskGuard &diskGuard, std::shared_ptr<DropLog> drops)
    : m_projects(projects)
    , m_writer(writer)
    , m_limits(limits)
    , m_stats(std::move(stats))
    , m_diskGuard(diskGuard)
    , m_drops(std::move(drops))
    , m_rateLimiter(limits.projectEventsPerMinute)
    , m_attachmentQuota(limits.projectAttachmentBytesPerHour)
{
}

void IngestHandler::handle(const HttpRequest &request, Responder respond)
{
    auto pending
        = std::make_shared<PendingRequest>(lineOf(request), sinks(), m_limits.retryAfterSeconds, std::move(respond));
    Reply reply = Queued {};
    try {
        reply = route(request, pending);
    } catch (const std::exception &error) {
        spdlog::error(
            "collector: {} {} failed: {}", request.method.toStdString(), request.path.toStdString(), error.what());
        reply = IngestError::internal();
    } catch (...) {
        spdlog::error("collector: {} {} failed with an unknown exception", request.method.toStdString(),
            request.path.toStdString());
        reply = IngestError::internal();
    }
    if (const IngestError *error = std::get_if<IngestError>(&reply))
        pending->refuse(*error, describeRefused(request, m_projects)); // the request is still at hand
    else if (HttpResponse *response = std::get_if<HttpResponse>(&reply))
        pending->answer(std::move(*response));
}

HttpResponse IngestHandler::refuse(const IngestError &error, const HttpRequest &request)
{
    HttpResponse answer; // PendingRequest answers at once: no commit to wait for
    PendingRequest pending(lineOf(request), sinks(), m_limits.retryAfterSeconds,
        [&answer](HttpResponse response) { answer = std::move(response); });
    pending.refuse(error, describeRefused(request, m_projects));
    return answer;
}

void IngestHandler::recordUnparseable(int status, const QString &reason)
{
    ++m_stats->rejectedRequests;
    m_rejectionLog->recordUnparseable(status, reason);
    recordUnparseableDrop(m_drops.get(), status, reason);
}

HttpResponse IngestHandler::health() const
{
    // Healthy only when events can be stored: a damaged, read-only or full database, or a
    // disk below the free-space threshold, is a 503. An answer about the collector, not a
    // refused request: not counted.
    const StorageState storage = m_writer.storageState();
    const DiskState disk = m_diskGuard.check();
    const bool healthy = storage == StorageState::Ok && !disk.low;
    QJsonObject body { { "status", healthy ? "ok" : "degraded" }, { "storage", storageStateName(storage) },
        { "queue_depth", m_writer.queueDepth() } };
    if (disk.availableBytes >= 0)
        body.insert(QStringLiteral("disk"),
            QJsonObject { { "status", disk.low ? "low" : "ok" }, { "free_bytes", disk.availableBytes },
                { "threshold_bytes", disk.thresholdBytes } });
    if (disk.low)
        body.insert(QStringLiteral("error"), disk.problem);
    HttpResponse response = jsonResponse(healthy ? 200 : 503, body);
    response.reason = disk.low ? disk.problem : QStringLiteral("storage is %1").arg(storageStateName(storage));
    return response;
}

IngestHandler::Reply IngestHandler::route(const HttpRequest &request, const Pending &pending)
{
    const bool isPost = request.method == "POST";
    if (request.path == QLatin1String("/health")) {
        if (request.method != "GET")
            return IngestError::methodNotAllowed(QStringLiteral("/health only answers GET"), "GET");
        return health();
    }
    const QRegularExpressionMatch sentry = kSentryRoute.match(request.path);
    const bool known = sentry.hasMatch() || request.path == kPlainRoute;
    if (!known)
        return IngestError::noSuchEndpoint(request.path);
    if (request.method == "OPTIONS")
        return preflight();
    if (!isPost)
        return IngestError::methodNotAllowed(
            QStringLiteral("%1 only accepts POST, not %2").arg(request.path, QString::fromLatin1(request.method)),
            "POST, OPTIONS");
    if (!sentry.hasMatch())
        return handlePlainEvent(request, pending);
    if (sentry.captured(2) == QLatin1String("store"))
        return handleStore(request, sentry.captured(1), pending);
    return handleEnvelope(request, sentry.captured(1), pending);
}

std::optional<IngestError> IngestHandler::authenticate(const QString &projectId, const QString &key, Project *project)
{
    if (key.isEmpty())
        return IngestError::missingKey(
            QStringLiteral("missing sentry_key: send it in X-Sentry-Auth, Authorization: Sentry, "
                           "the sentry_key query parameter or the envelope's dsn"));
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,18}$"));
    std::optional<Project> found;
    if (digits.match(projectId).hasMatch())
        found = m_projects.byId(projectId.toLongLong());
    // An unknown project and a wrong key get the same answer: a DSN key is
    // public, but which project ids exist is not (issue 15, finding 14).
    if (!found || key != found->publicKey)
        return IngestError::wrongKey(QStringLiteral("sentry_key is not a valid key of project %1").arg(projectId));
    *project = *found;
    return std::nullopt;
}

std::optional<IngestError> IngestHandler::plainEventProject(const HttpRequest &request, Project *project)
{
    const QByteArray authorization = request.header("Authorization").trimmed();
    if (!authorization.toLower().startsWith("bearer "))
        return IngestError::missingKey(QStringLiteral("missing key: send 'Authorization: Bearer <project key>'"));
    const std::optional<Project> found = m_projects.byKey(QString::fromUtf8(authorization.mid(7).trimmed()));
    if (!found)
        return IngestError::wrongKey(QStringLiteral("the bearer key does not belong to any project"));
    *project = *found;
    return std::nullopt;
}

std::optional<IngestError> IngestHandler::checkHead(const HttpRequest &request)
{
    if (request.method != "POST")
        return std::nullopt; // route() answers everything else without a body
    std::optional<IngestError> refusal;
    Project project;
    const QRegularExpressionMatch sentry = kSentryRoute.match(request.path);
    if (request.path == kPlainRoute) {
        refusal = plainEventProject(request, &project);
    } else if (sentry.hasMatch()) {
        const QString key = sentryKeyFromRequest(request);
        // An envelope may carry its key in its header, which is in the body.
        if (!key.isEmpty() || sentry.captured(2) == QLatin1String("store"))
            refusal = authenticate(sentry.captured(1), key, &project);
    }
    return refusal;
}

std::optional<IngestError> IngestHandler::keyFromEnvelopeHeader(const HttpRequest &request, QString *key)
{
    DecodeResult line = decodeFirstLine(request.body, request.header("Content-Encoding"), kMaxEnvelopeHeaderBytes);
    if (line.status == DecodeResult::Status::TooLarge)
        return IngestError::malformed(
            QStringLiteral("envelope header is longer than %1 bytes").arg(kMaxEnvelopeHeaderBytes));
    if (line.status == DecodeResult::Status::Unsupported)
        return IngestError::unsupported(line.error);
    if (line.status != DecodeResult::Status::Ok)
        return IngestError::malformed(line.error);
    const Result<QJsonObject> header = parseJsonObject(line.data.trimmed(), QStringLiteral("envelope header"));
    if (!header) // no key to be had: refused as unauthenticated, the body unread
        return std::nullopt;
    *key = sentryKeyFromDsn(header->value(QLatin1String("dsn")).toString());
    return std::nullopt;
}

std::optional<IngestError> IngestHandler::decodeBody(const HttpRequest &request, QByteArray *decoded)
{
    DecodeResult result = decodeContent(request.body, request.header("Content-Encoding"), m_limits.maxDecodedBytes);
    switch (result.status) {
    case DecodeResult::Status::Ok:
        *decoded = std::move(result.data);
        if (decoded->isEmpty())
            return IngestError::malformed(QStringLiteral("request body is empty"));
        return std::nullopt;
    case DecodeResult::Status::TooLarge:
        return IngestError::tooLarge(result.error);
    case DecodeResult::Status::Unsupported:
        return IngestError::unsupported(result.error);
    case DecodeResult::Status::Malformed:
        break;
    }
    return IngestError::malformed(result.error);
}

std::optional<IngestError> IngestHandler::decodeLegacyEncoding(QByteArray *body)
{
    DecodeResult result = decodeStoreBody(*body, m_limits.maxDecodedBytes);
    if (result.status == DecodeResult::Status::TooLarge)
        return IngestError::tooLarge(result.error);
    if (!result.ok())
        return IngestError::malformed(result.error);
    *body = std::move(result.data);
    return std::nullopt;
}

IngestHandler::Reply IngestHandler::commit(QList<IncomingEvent> events, const QString &answerId, const Pending &pending)
{
    // Refused before the disk fills, not by a commit failing half-way (507 Insufficient Storage).
    if (const DiskState disk = m_diskGuard.check(); disk.low)
        return IngestError::diskFull(disk.problem);
    // A database server out of reach (PostgreSQL, #18): refused now with a 503
    // and Retry-After, not queued to wait for a reconnect.
    if (m_writer.storageState() == StorageState::Unavailable)
        return IngestError::storeFailed(storageProblem(StorageState::Unavailable));
    const qint64 projectId = events.first().projectId;
    if (const std::optional<int> wait = m_rateLimiter.acquire(projectId, int(events.size())))
        return IngestError::rateLimited(projectId, m_rateLimiter.limit(projectId), *wait);
    // Attachments over the quota are dropped, the events kept; the answer tells the SDK
    // to hold back attachments (Relay's `retry_after:categories:scope`).
    QByteArray rateLimits;
    if (const std::optional<int> wait = applyAttachmentQuota(events))
        rateLimits = QByteArray::number(*wait) + ":attachment:project";
    // Answered when the last event's batch committed, from the thread that completes it.
    pending->expectOutcomes(int(events.size()), answerId, rateLimits);
    if (!m_writer.enqueue(std::move(events), [pending](const WriteOutcome &outcome) { pending->addOutcome(outcome); }))
        return IngestError::queueFull(QStringLiteral("the collector is saturated (write queue full); retry in %1 s")
                                          .arg(m_limits.retryAfterSeconds));
    return Queued {};
}

std::optional<int> IngestHandler::applyAttachmentQuota(QList<IncomingEvent> &events)
{
    const qint64 projectId = events.first().projectId;
    const AttachmentsOverQuota over = dropAttachmentsOverQuota(m_attachmentQuota, projectId, events);
    if (over.count == 0)
        return std::nullopt;
    const QString why = QStringLiteral("%1 attachment(s) of %2 bytes ('%3' first) over project %4's attachment quota "
                                       "of %5 bytes per hour; the event was kept without them")
                            .arg(over.count)
                            .arg(over.bytes)
                            .arg(RejectionLog::loggable(over.firstName, 200))
                            .arg(projectId)
                            .arg(m_attachmentQuota.quota(projectId));
    spdlog::info("collector: {}", why.toStdString());
    if (m_drops) {
        DropExample example;
        example.receivedMs = nowMs();
        example.status = 200;
        example.size = over.bytes;
        example.request = QStringLiteral("%1 attachment(s)").arg(over.count);
        example.answer = why;
        m_drops->record(DropRecord { projectId, QStringLiteral("attachment_quota"), over.count, std::move(example) });
    }
    return over.retryAfterSeconds;
}

void IngestHandler::setScrubOptOuts(qint64 projectId, unsigned keep)
{
    std::lock_guard lock(m_scrubMutex);
    m_scrubOptOuts.insert(projectId, keep);
}

unsigned IngestHandler::scrubOptOuts(qint64 projectId) const
{
    std::lock_guard lock(m_scrubMutex);
    return m_scrubOptOuts.value(projectId, 0);
}

} // namespace faultline
