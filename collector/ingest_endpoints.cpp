// The ingestion endpoints themselves: what IngestHandler::route() hands a
// request to once it knows which one it is (see ingest_handler.h).
#include "collector/error_response.h"
#include "collector/ingest_handler.h"
#include "collector/project_directory.h"
#include "collector/sentry_auth.h"
#include "model/envelope.h"
#include "model/event_parser.h"
#include "model/json_object.h"
#include "storage/event_writer.h"
#include "storage/incoming_event.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

} // namespace

IngestHandler::Reply IngestHandler::handleStore(
    const HttpRequest &request, const QString &projectId, const Pending &pending)
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
        return IngestError::tooLarge(QStringLiteral("event"), body.size(), m_limits.maxEventBytes);

    Result<IncomingEvent> incoming = IncomingEvent::prepare(
        body, EventOrigin { project.id, nowMs(), {}, request.peerAddress(), scrubOptOuts(project.id) });
    if (!incoming)
        return IngestError::invalidEvent(incoming.errors());
    const QString id = incoming->event.eventId;
    return commit({ std::move(incoming).value() }, id, pending);
}

IngestHandler::Reply IngestHandler::handleEnvelope(
    const HttpRequest &request, const QString &projectId, const Pending &pending)
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
            return IngestError::tooLarge(
                QStringLiteral("envelope has more than %1 items").arg(m_limits.maxEnvelopeItems), envelope.errors());
        return IngestError::malformed(QStringLiteral("invalid envelope: %1").arg(first.msg), envelope.errors());
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
                return IngestError::tooLarge(QStringLiteral("event item"), item.payload.size(), m_limits.maxEventBytes);
            // The envelope's event_id names one event: a second id-less event gets an id of its
            // own instead of the same one (which the writer would drop as a duplicate).
            Result<IncomingEvent> incoming = IncomingEvent::prepare(item.payload,
                EventOrigin {
                    project.id, received, envelopeIdTaken ? QString() : envelopeEventId, request.peerAddress(), keep });
            if (!incoming)
                return IngestError::invalidEvent(prefixed(incoming.errors(), loc));
            envelopeIdTaken = envelopeIdTaken || incoming->event.eventId == envelopeEventId;
            events.append(std::move(incoming).value());
        } else if (item.type == QLatin1String("attachment")) {
            if (item.payload.size() > m_limits.maxAttachmentBytes)
                return IngestError::tooLarge(
                    QStringLiteral("attachment '%1'").arg(item.header.value(QLatin1String("filename")).toString()),
                    item.payload.size(), m_limits.maxAttachmentBytes);
            // A page the user saw is stored scrubbed like the event's strings (issue 15, finding 7).
            attachments.append(IncomingEvent::prepareAttachment(
                Attachment { item.header.value(QLatin1String("filename")).toString(),
                    item.header.value(QLatin1String("content_type")).toString(),
                    item.header.value(QLatin1String("attachment_type")).toString(), item.payload },
                keep));
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
            return IngestError::attachmentQuota(project.id, m_attachmentQuota.quota(project.id), *wait);
        }
        if (!attachments.isEmpty())
            spdlog::debug("collector: envelope {} carried {} attachment(s) without an event; skipped",
                envelopeEventId.toStdString(), attachments.size());
        return jsonResponse(200, QJsonObject { { "id", envelopeEventId } });
    }
    events.first().attachments = attachments;
    return commit(std::move(events), QString(), pending);
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

IngestHandler::Reply IngestHandler::handlePlainEvent(const HttpRequest &request, const Pending &pending)
{
    Project project;
    if (auto error = plainEventProject(request, &project))
        return *error;

    QByteArray body;
    if (auto error = decodeBody(request, &body))
        return *error;
    if (body.size() > m_limits.maxEventBytes + m_limits.maxAttachmentBytes)
        return IngestError::tooLarge(
            QStringLiteral("event"), body.size(), m_limits.maxEventBytes + m_limits.maxAttachmentBytes);
    Result<QJsonObject> json = parseJsonObject(body, QStringLiteral("event"));
    if (!json)
        return IngestError::invalidEvent(json.errors());
    QJsonObject object = std::move(json).value();

    if (!object.contains(QLatin1String("message")) && !object.contains(QLatin1String("logentry"))
        && !object.contains(QLatin1String("exception")))
        return IngestError::invalidEvent({ FieldError { QJsonArray { QStringLiteral("message") },
            QStringLiteral("an event needs a `message` or an `exception`"), QStringLiteral("value_error.missing") } });

    QList<Attachment> attachments;
    if (object.contains(QLatin1String("page"))) {
        const QJsonObject page = object.value(QLatin1String("page")).toObject();
        const QJsonValue html = page.value(QLatin1String("html"));
        if (!html.isString())
            return IngestError::invalidEvent({ FieldError {
                QJsonArray { QStringLiteral("page"), QStringLiteral("html") },
                QStringLiteral("page.html must be the page's HTML as a string"), QStringLiteral("type_error.str") } });
        QByteArray htmlBytes = html.toString().toUtf8();
        if (htmlBytes.size() > m_limits.maxAttachmentBytes)
            return IngestError::tooLarge(QStringLiteral("page"), htmlBytes.size(), m_limits.maxAttachmentBytes);
        const int status = page.value(QLatin1String("status_code")).toInt();
        attachments.append(IncomingEvent::prepareAttachment(
            Attachment { status > 0 ? QStringLiteral("%1.html").arg(status) : QStringLiteral("page.html"),
                QStringLiteral("text/html"), QString(), htmlBytes },
            scrubOptOuts(project.id)));
        object.remove(QLatin1String("page")); // stored once, as the attachment
        if (status > 0 && !object.contains(QLatin1String("http_status")))
            object.insert(QStringLiteral("http_status"), status);
    }

    // The page aside, the event is held to the same limit as on every other endpoint.
    const QByteArray eventJson = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (eventJson.size() > m_limits.maxEventBytes)
        return IngestError::tooLarge(QStringLiteral("event"), eventJson.size(), m_limits.maxEventBytes);
    Result<IncomingEvent> incoming = IncomingEvent::prepare(
        eventJson, EventOrigin { project.id, nowMs(), {}, request.peerAddress(), scrubOptOuts(project.id) });
    if (!incoming)
        return IngestError::invalidEvent(incoming.errors());
    incoming->attachments = attachments;
    const QString id = incoming->event.eventId;
    return commit({ std::move(incoming).value() }, id, pending);
}

} // namespace faultline
