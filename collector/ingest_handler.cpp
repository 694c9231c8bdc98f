#include "collector/ingest_handler.h"

#include "collector/commit_outcomes.h"
#include "collector/content_decoder.h"
#include "collector/disk_guard.h"
#include "collector/error_response.h"
#include "collector/event_intake.h"
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

HttpResponse withCors(HttpResponse response)
{
    // Browser SDKs post cross-origin; they need these to read our answer.
    return response.withHeader("Access-Control-Allow-Origin", "*")
        .withHeader("Access-Control-Expose-Headers", "Retry-After, X-Sentry-Rate-Limits");
}

HttpResponse preflight()
{
    HttpResponse response;
    response.status = 204;
    response.contentType.clear();
    return withCors(response)
        .withHeader("Access-Control-Allow-Methods", "POST, OPTIONS")
        .withHeader("Access-Control-Allow-Headers",
            "Content-Type, Content-Encoding, Authorization, X-Sentry-Auth, sentry-trace, baggage")
        .withHeader("Access-Control-Max-Age", "3600");
}

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
    // Whoever answers, now or after the commit: log refusals, add CORS. It holds
    // no reference to this handler, which may be gone by the time the writer commits.
    Responder answer
        = [stats = m_stats, log = m_rejectionLog, drops = m_drops, method = request.method, path = request.path,
              peer = request.peer, respond = std::move(respond)](HttpResponse response) {
              // A degraded /health is an answer about the collector, not a refused request.
              if (response.status >= 400 && path != QLatin1String("/health"))
                  response = recordRefusal(*stats, *log, drops.get(), method, path, peer, std::move(response));
              respond(withCors(std::move(response)));
          };
    Answer response;
    try {
        response = route(request, answer);
    } catch (const std::exception &error) {
        spdlog::error(
            "collector: {} {} failed: {}", request.method.toStdString(), request.path.toStdString(), error.what());
        response = errorResponse(500, QStringLiteral("internal error while handling the request; see the log"));
    } catch (...) {
        spdlog::error("collector: {} {} failed with an unknown exception", request.method.toStdString(),
            request.path.toStdString());
        response = errorResponse(500, QStringLiteral("internal error while handling the request; see the log"));
    }
    if (response) {
        if (response->status >= 400
            && request.path
                != QLatin1String("/health")) // the request is still at hand: its first bytes go with the refusal
            response->refused = describeRefused(request, m_projects);
        answer(std::move(*response));
    }
}

HttpResponse IngestHandler::refuse(int status, const QString &reason, const HttpRequest &request)
{
    HttpResponse response = errorResponse(status, reason);
    if (status == 429 || status == 503) // saturated or stopping: come back later
        response = withBackOff(std::move(response));
    response.refused = describeRefused(request, m_projects);
    return withCors(recordRefusal(
        *m_stats, *m_rejectionLog, m_drops.get(), request.method, request.path, request.peer, std::move(response)));
}

void IngestHandler::recordUnparseable(int status, const QString &reason)
{
    ++m_stats->rejectedRequests;
    m_rejectionLog->recordUnparseable(status, reason);
    recordUnparseableDrop(m_drops.get(), status, reason);
}

HttpResponse IngestHandler::withBackOff(HttpResponse response) const
{
    return faultline::withBackOff(std::move(response), m_limits.retryAfterSeconds, {}, "organization");
}

IngestHandler::Answer IngestHandler::route(const HttpRequest &request, const Responder &answer)
{
    const bool isPost = request.method == "POST";
    if (request.path == QLatin1String("/health")) {
        if (request.method != "GET")
            return errorResponse(405, QStringLiteral("/health only answers GET")).withHeader("Allow", "GET");
        // Healthy only when events can be stored: a damaged, read-only or full database, or a
        // disk below the free-space threshold, is a 503.
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
        HttpResponse health = jsonResponse(healthy ? 200 : 503, body);
        health.reason = disk.low ? disk.problem : QStringLiteral("storage is %1").arg(storageStateName(storage));
        return health;
    }
    const QRegularExpressionMatch sentry = kSentryRoute.match(request.path);
    const bool known = sentry.hasMatch() || request.path == kPlainRoute;
    if (!known)
        return errorResponse(404,
            QStringLiteral("no such endpoint: %1 (Sentry clients post to /api/<project>/store/ "
                           "or /api/<project>/envelope/; plain JSON goes to /api/events)")
                .arg(request.path));
    if (request.method == "OPTIONS")
        return preflight();
    if (!isPost)
        return errorResponse(
            405, QStringLiteral("%1 only accepts POST, not %2").arg(request.path, QString::fromLatin1(request.method)))
            .withHeader("Allow", "POST, OPTIONS");
    if (!sentry.hasMatch())
        return handlePlainEvent(request, answer);
    if (sentry.captured(2) == QLatin1String("store"))
        return handleStore(request, sentry.captured(1), answer);
    return handleEnvelope(request, sentry.captured(1), answer);
}

std::optional<HttpResponse> IngestHandler::authenticate(const QString &projectId, const QString &key, Project *project)
{
    if (key.isEmpty())
        return errorResponse(401,
            QStringLiteral("missing sentry_key: send it in X-Sentry-Auth, Authorization: Sentry, "
                           "the sentry_key query parameter or the envelope's dsn"));
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,18}$"));
    std::optional<Project> found;
    if (digits.match(projectId).hasMatch())
        found = m_projects.byId(projectId.toLongLong());
    // An unknown project and a wrong key get the same answer: a DSN key is
    // public, but which project ids exist is not (issue 15, finding 14).
    if (!found || key != found->publicKey)
        return errorResponse(403, QStringLiteral("sentry_key is not a valid key of project %1").arg(projectId));
    *project = *found;
    return std::nullopt;
}

std::optional<HttpResponse> IngestHandler::plainEventProject(const HttpRequest &request, Project *project)
{
    const QByteArray authorization = request.header("Authorization").trimmed();
    if (!authorization.toLower().startsWith("bearer "))
        return errorResponse(401, QStringLiteral("missing key: send 'Authorization: Bearer <project key>'"));
    const std::optional<Project> found = m_projects.byKey(QString::fromUtf8(authorization.mid(7).trimmed()));
    if (!found)
        return errorResponse(403, QStringLiteral("the bearer key does not belong to any project"));
    *project = *found;
    return std::nullopt;
}

std::optional<HttpResponse> IngestHandler::checkHead(const HttpRequest &request)
{
    if (request.method != "POST")
        return std::nullopt; // route() answers everything else without a body
    std::optional<HttpResponse> refusal;
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

std::optional<HttpResponse> IngestHandler::keyFromEnvelopeHeader(const HttpRequest &request, QString *key)
{
    DecodeResult line = decodeFirstLine(request.body, request.header("Content-Encoding"), kMaxEnvelopeHeaderBytes);
    if (line.status == DecodeResult::Status::TooLarge)
        return errorResponse(
            400, QStringLiteral("envelope header is longer than %1 bytes").arg(kMaxEnvelopeHeaderBytes));
    if (line.status == DecodeResult::Status::Unsupported)
        return errorResponse(415, line.error);
    if (line.status != DecodeResult::Status::Ok)
        return errorResponse(400, line.error);
    const Result<QJsonObject> header = parseJsonObject(line.data.trimmed(), QStringLiteral("envelope header"));
    if (!header) // no key to be had: refused as unauthenticated, the body unread
        return std::nullopt;
    *key = sentryKeyFromDsn(header->value(QLatin1String("dsn")).toString());
    return std::nullopt;
}

std::optional<HttpResponse> IngestHandler::decodeBody(const HttpRequest &request, QByteArray *decoded)
{
    DecodeResult result = decodeContent(request.body, request.header("Content-Encoding"), m_limits.maxDecodedBytes);
    switch (result.status) {
    case DecodeResult::Status::Ok:
        *decoded = std::move(result.data);
        if (decoded->isEmpty())
            return errorResponse(400, QStringLiteral("request body is empty"));
        return std::nullopt;
    case DecodeResult::Status::TooLarge:
        return errorResponse(413, result.error);
    case DecodeResult::Status::Unsupported:
        return errorResponse(415, result.error);
    case DecodeResult::Status::Malformed:
        break;
    }
    return errorResponse(400, result.error);
}

std::optional<HttpResponse> IngestHandler::decodeLegacyEncoding(QByteArray *body)
{
    DecodeResult result = decodeStoreBody(*body, m_limits.maxDecodedBytes);
    if (result.status == DecodeResult::Status::TooLarge)
        return errorResponse(413, result.error);
    if (!result.ok())
        return errorResponse(400, result.error);
    *body = std::move(result.data);
    return std::nullopt;
}

IngestHandler::Answer IngestHandler::commit(
    QList<IncomingEvent> events, const QString &answerId, const Responder &answer)
{
    // Refused before the disk fills, not by a commit failing half-way (507 Insufficient Storage).
    if (const DiskState disk = m_diskGuard.check(); disk.low)
        return errorResponse(507, disk.problem)
            .withHeader("Retry-After", QByteArray::number(m_limits.retryAfterSeconds));
    const qint64 projectId = events.first().projectId;
    if (const std::optional<int> wait = m_rateLimiter.acquire(projectId, int(events.size()))) {
        return faultline::withBackOff(
            errorResponse(429,
                QStringLiteral("project %1 is over its rate limit of %2 events per minute; retry in %3 s")
                    .arg(projectId)
                    .arg(m_rateLimiter.limit(projectId))
                    .arg(*wait)),
            *wait, "error;default", "project");
    }
    // Attachments over the quota are dropped, the events kept; the answer tells the SDK
    // to hold back attachments (Relay's `retry_after:categories:scope`).
    Responder respond = answer;
    if (const std::optional<int> wait = applyAttachmentQuota(events)) {
        const QByteArray limits = QByteArray::number(*wait) + ":attachment:project";
        respond = [answer, limits](HttpResponse response) {
            if (response.status < 300)
                response.withHeader("X-Sentry-Rate-Limits", limits);
            answer(std::move(response));
        };
    }
    // Answer when the last event's batch committed, from the thread that completes it.
    auto outcomes = std::make_shared<CommitOutcomes>(int(events.size()), answerId);
    auto onOutcome = [stats = m_stats, retryAfter = m_limits.retryAfterSeconds, outcomes, answer = std::move(respond)](
                         const WriteOutcome &outcome) {
        if (outcome.committed)
            ++stats->acceptedEvents;
        if (std::optional<HttpResponse> response = outcomes->add(outcome, retryAfter))
            answer(std::move(*response));
    };
    if (!m_writer.enqueue(std::move(events), std::move(onOutcome))) {
        return withBackOff(errorResponse(429,
            QStringLiteral("the collector is saturated (write queue full); retry in %1 s")
                .arg(m_limits.retryAfterSeconds)));
    }
    return std::nullopt;
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

IngestHandler::Answer IngestHandler::handleStore(
    const HttpRequest &request, const QString &projectId, const Responder &answer)
{
    Project project;
    if (auto error = authenticate(projectId, sentryKeyFromRequest(request), &project))
        return *error;
    QByteArray body;
    if (auto error = decodeBody(request, &body))
        return *error;
    if (auto error = decodeLegacyEncoding(&body))
        return *error;
    if (body.size() > m_limits.maxEventBytes)
        return tooLarge(QStringLiteral("event"), body.size(), m_limits.maxEventBytes);

    Result<IncomingEvent> incoming
        = prepareEvent(body, project.id, nowMs(), {}, request.peerAddress(), scrubOptOuts(project.id));
    if (!incoming)
        return invalidEvent(incoming.errors());
    const QString id = incoming->event.eventId;
    return commit({ std::move(incoming).value() }, id, answer);
}

IngestHandler::Answer IngestHandler::handleEnvelope(
    const HttpRequest &request, const QString &projectId, const Responder &answer)
{
    // Authenticate before paying for the body: from the headers, else from the
    // envelope header alone, decoded no further than its first line.
    QString key = sentryKeyFromRequest(request);
    if (key.isEmpty()) {
        if (auto error = keyFromEnvelopeHeader(request, &key))
            return *error;
    }
    Project project;
    if (auto error = authenticate(projectId, key, &project))
        return *error;
    QByteArray body;
    if (auto error = decodeBody(request, &body))
        return *error;
    Result<Envelope> envelope = parseEnvelope(body, EnvelopeLimits { m_limits.maxEnvelopeItems });
    if (!envelope) {
        const FieldError &first = envelope.errors().first();
        if (first.type == QLatin1String("limit.items"))
            return errorResponse(413, QStringLiteral("envelope has more than %1 items").arg(m_limits.maxEnvelopeItems),
                envelope.errors());
        return errorResponse(400, QStringLiteral("invalid envelope: %1").arg(first.msg), envelope.errors());
    }

    const QString envelopeEventId = normalizeEventId(envelope->header.value(QLatin1String("event_id")).toString());
    const qint64 received = nowMs();
    QList<IncomingEvent> events;
    QList<Attachment> attachments;
    bool envelopeIdTaken = false;
    const unsigned keep = scrubOptOuts(project.id);
    for (int i = 0; i < envelope->items.size(); ++i) {
        const EnvelopeItem &item = envelope->items.at(i);
        const QJsonArray loc { QStringLiteral("items"), i };
        if (item.type == QLatin1String("event")) {
            if (item.payload.size() > m_limits.maxEventBytes)
                return tooLarge(QStringLiteral("event item"), item.payload.size(), m_limits.maxEventBytes);
            // The envelope's event_id names one event: a second id-less event gets an id of its
            // own instead of the same one (which the writer would drop as a duplicate).
            Result<IncomingEvent> incoming = prepareEvent(item.payload, project.id, received,
                envelopeIdTaken ? QString() : envelopeEventId, request.peerAddress(), keep);
            if (!incoming)
                return invalidEvent(prefixed(incoming.errors(), loc));
            envelopeIdTaken = envelopeIdTaken || incoming->event.eventId == envelopeEventId;
            events.append(std::move(incoming).value());
        } else if (item.type == QLatin1String("attachment")) {
            if (item.payload.size() > m_limits.maxAttachmentBytes)
                return tooLarge(
                    QStringLiteral("attachment '%1'").arg(item.header.value(QLatin1String("filename")).toString()),
                    item.payload.size(), m_limits.maxAttachmentBytes);
            Attachment attachment { item.header.value(QLatin1String("filename")).toString(),
                item.header.value(QLatin1String("content_type")).toString(),
                item.header.value(QLatin1String("attachment_type")).toString(), item.payload };
            // A page the user saw is stored scrubbed like the event's strings (issue 15, finding 7).
            if (PageQueries::isPage(attachment.filename, attachment.contentType))
                attachment.data = scrubbedPage(attachment.data, keep).value_or(attachment.data);
            attachments.append(std::move(attachment));
        } else if (item.type == QLatin1String("client_report")) {
            recordClientReport(project.id, item.payload);
        } else {
            // transaction, session(s), check_in, profile, replay, log, …: accepted, not shown (yet).
            ++m_stats->skippedItems;
        }
    }
    if (events.isEmpty()) {
        qint64 attachmentBytes = 0;
        for (const Attachment &attachment : attachments)
            attachmentBytes += attachment.data.size();
        // Nothing to keep them with, so they are not counted; but over the quota, say so.
        if (const std::optional<int> wait
            = attachments.isEmpty() ? std::nullopt : m_attachmentQuota.check(project.id, attachmentBytes)) {
            return faultline::withBackOff(
                errorResponse(429,
                    QStringLiteral("project %1 is over its attachment quota of %2 bytes per hour; "
                                   "retry in %3 s")
                        .arg(project.id)
                        .arg(m_attachmentQuota.quota(project.id))
                        .arg(*wait)),
                *wait, "attachment", "project");
        }
        if (!attachments.isEmpty())
            spdlog::debug("collector: envelope {} carried {} attachment(s) without an event; skipped",
                envelopeEventId.toStdString(), attachments.size());
        return jsonResponse(200, QJsonObject { { "id", envelopeEventId } });
    }
    events.first().attachments = attachments;
    return commit(std::move(events), QString(), answer);
}

void IngestHandler::recordClientReport(qint64 projectId, const QByteArray &payload)
{
    Result<QJsonObject> report = parseJsonObject(payload, QStringLiteral("client_report"));
    if (!report)
        return; // a malformed report must not cost the client its envelope
    // Sentry's outcome reasons and data categories: each (reason, category) pair is a
    // stored row, so anything else (a unique 100 KB reason per report, say) is dropped,
    // which bounds the rows per project.
    static const QSet<QString> reasons { QStringLiteral("queue_overflow"), QStringLiteral("cache_overflow"),
        QStringLiteral("buffer_overflow"), QStringLiteral("ratelimit_backoff"), QStringLiteral("network_error"),
        QStringLiteral("sample_rate"), QStringLiteral("before_send"), QStringLiteral("event_processor"),
        QStringLiteral("send_error"), QStringLiteral("internal_sdk_error"), QStringLiteral("insufficient_data"),
        QStringLiteral("backpressure") };
    static const QSet<QString> categories { QStringLiteral("default"), QStringLiteral("error"),
        QStringLiteral("transaction"), QStringLiteral("security"), QStringLiteral("attachment"),
        QStringLiteral("session"), QStringLiteral("profile"), QStringLiteral("replay"), QStringLiteral("internal"),
        QStringLiteral("monitor"), QStringLiteral("span"), QStringLiteral("log_item"), QStringLiteral("log_byte"),
        QStringLiteral("feedback"), QStringLiteral("profile_chunk"), QStringLiteral("user_report") };
    constexpr qint64 maxQuantity = 1'000'000'000;
    for (const QJsonValue &entry : report->value(QLatin1String("discarded_events")).toArray()) {
        const QJsonObject discarded = entry.toObject();
        const qint64 quantity = discarded.value(QLatin1String("quantity")).toInteger();
        const QString reason = discarded.value(QLatin1String("reason")).toString();
        const QString category = discarded.value(QLatin1String("category")).toString();
        if (quantity <= 0 || quantity > maxQuantity || !reasons.contains(reason) || !categories.contains(category))
            continue;
        m_stats->clientDiscarded += quint64(quantity);
        m_writer.recordDiscarded(projectId, reason, category, quantity);
    }
}

IngestHandler::Answer IngestHandler::handlePlainEvent(const HttpRequest &request, const Responder &answer)
{
    Project project;
    if (auto error = plainEventProject(request, &project))
        return *error;

    QByteArray body;
    if (auto error = decodeBody(request, &body))
        return *error;
    if (body.size() > m_limits.maxEventBytes + m_limits.maxAttachmentBytes)
        return tooLarge(QStringLiteral("event"), body.size(), m_limits.maxEventBytes + m_limits.maxAttachmentBytes);
    Result<QJsonObject> json = parseJsonObject(body, QStringLiteral("event"));
    if (!json)
        return invalidEvent(json.errors());
    QJsonObject object = std::move(json).value();

    if (!object.contains(QLatin1String("message")) && !object.contains(QLatin1String("logentry"))
        && !object.contains(QLatin1String("exception")))
        return invalidEvent({ FieldError { QJsonArray { QStringLiteral("message") },
            QStringLiteral("an event needs a `message` or an `exception`"), QStringLiteral("value_error.missing") } });

    QList<Attachment> attachments;
    if (object.contains(QLatin1String("page"))) {
        const QJsonObject page = object.value(QLatin1String("page")).toObject();
        const QJsonValue html = page.value(QLatin1String("html"));
        if (!html.isString())
            return invalidEvent({ FieldError { QJsonArray { QStringLiteral("page"), QStringLiteral("html") },
                QStringLiteral("page.html must be the page's HTML as a string"), QStringLiteral("type_error.str") } });
        QByteArray htmlBytes = html.toString().toUtf8();
        if (htmlBytes.size() > m_limits.maxAttachmentBytes)
            return tooLarge(QStringLiteral("page"), htmlBytes.size(), m_limits.maxAttachmentBytes);
        htmlBytes = scrubbedPage(htmlBytes, scrubOptOuts(project.id)).value_or(htmlBytes);
        const int status = page.value(QLatin1String("status_code")).toInt();
        attachments.append(
            Attachment { status > 0 ? QStringLiteral("%1.html").arg(status) : QStringLiteral("page.html"),
                QStringLiteral("text/html"), QString(), htmlBytes });
        object.remove(QLatin1String("page")); // stored once, as the attachment
        if (status > 0 && !object.contains(QLatin1String("http_status")))
            object.insert(QStringLiteral("http_status"), status);
    }

    // The page aside, the event is held to the same limit as on every other endpoint.
    const QByteArray eventJson = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (eventJson.size() > m_limits.maxEventBytes)
        return tooLarge(QStringLiteral("event"), eventJson.size(), m_limits.maxEventBytes);
    Result<IncomingEvent> incoming
        = prepareEvent(eventJson, project.id, nowMs(), {}, request.peerAddress(), scrubOptOuts(project.id));
    if (!incoming)
        return invalidEvent(incoming.errors());
    incoming->attachments = attachments;
    const QString id = incoming->event.eventId;
    return commit({ std::move(incoming).value() }, id, answer);
}

} // namespace faultline
