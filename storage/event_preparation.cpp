// IncomingEvent::prepare(): from an event's JSON text to what the writer
// stores. Scrub secrets, parse leniently (which also recognises validation
// errors and the HTTP outcome), amend what has to be, group, compress, and
// build the columns.
#include "storage/incoming_event.h"

#include "model/event_parser.h"
#include "model/event_shape.h"
#include "model/grouping.h"
#include "model/json_dom.h"
#include "model/json_object.h"
#include "model/scrub.h"
#include "storage/page_queries.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace faultline {

namespace {

using namespace std::string_view_literals;

// Relay's window (max_secs_in_past, max_secs_in_future): a client clock that is
// off, or a hostile value, does not move an event out of its time.
constexpr double kMaxSecondsInPast = 30.0 * 24 * 3600;
constexpr double kMaxSecondsInFuture = 60.0;

// Sentry's processing error type for a timestamp outside the window, if it is.
std::optional<QString> timestampError(double timestamp, qint64 receivedMs)
{
    if (timestamp <= 0)
        return std::nullopt; // absent or unreadable: the receipt time stands in
    const double received = double(receivedMs) / 1000.0;
    if (timestamp > received + kMaxSecondsInFuture)
        return QStringLiteral("future_timestamp");
    if (timestamp < received - kMaxSecondsInPast)
        return QStringLiteral("past_timestamp");
    return std::nullopt;
}

void appendError(QJsonObject &event, const QJsonObject &error)
{
    QJsonArray errors = event.value(QLatin1String("errors")).toArray();
    errors.append(error);
    event.insert(QStringLiteral("errors"), errors);
}

// What has to be filled in or replaced before the event is stored, so that
// what is stored is what every view shows (one id, one timestamp, no secrets).
struct Amendments {
    QString eventId; // set when the sent id is missing, unusable or not in canonical form
    double timestamp = 0; // set when the sent timestamp is missing, unreadable or out of the window
    std::optional<QString> timestampError; // why it was out of the window; the sent value is kept
    bool resolveAutoIp = false;
    bool shape = false; // over the count limits (model/event_shape.h)
    bool scrub = false;
    unsigned keep = 0; // the project's scrub opt-outs

    bool any() const { return !eventId.isEmpty() || timestamp > 0 || resolveAutoIp || shape || scrub; }
};

bool isAuto(const json::Node &value) { return value.stringView() == "{{auto}}"sv; }

Amendments amendmentsFor(
    const json::Node &root, const Event &parsed, qint64 receivedMs, const QString &fallbackEventId, unsigned keep)
{
    Amendments needed;
    const std::string_view sentId = root["event_id"sv].stringView();
    if (QLatin1String(sentId.data(), qsizetype(sentId.size())) != parsed.eventId) {
        const QString sent = normalizeEventId(json::scalarText(root["event_id"sv]));
        const QString fallback = normalizeEventId(fallbackEventId);
        // The parser generated parsed.eventId when the sent one was unusable.
        needed.eventId = !sent.isEmpty() ? sent : !fallback.isEmpty() ? fallback : parsed.eventId;
    }
    needed.timestampError = timestampError(parsed.timestamp, receivedMs);
    if (parsed.timestamp <= 0 || needed.timestampError)
        needed.timestamp = double(receivedMs) / 1000.0; // as Sentry does: when it arrived
    needed.shape = exceedsShapeLimits(root);
    // Legacy clients ask the server to fill in the sender's address.
    needed.resolveAutoIp
        = isAuto(root["user"sv]["ip_address"sv]) || isAuto(root["request"sv]["env"sv]["REMOTE_ADDR"sv]);
    needed.scrub = needsScrubbing(root, keep);
    needed.keep = keep;
    return needed;
}

// Sentry fills `{{auto}}` with the sender's address; without one the field goes.
void resolveAutoIp(QJsonObject &event, const QString &address)
{
    auto resolve = [&address](QJsonObject &holder, const QString &key) {
        if (holder.value(key).toString() != QLatin1String("{{auto}}"))
            return false;
        if (address.isEmpty())
            holder.remove(key);
        else
            holder.insert(key, address);
        return true;
    };
    QJsonObject user = event.value(QLatin1String("user")).toObject();
    if (resolve(user, QStringLiteral("ip_address")))
        event.insert(QStringLiteral("user"), user);
    QJsonObject request = event.value(QLatin1String("request")).toObject();
    QJsonObject env = request.value(QLatin1String("env")).toObject();
    if (resolve(env, QStringLiteral("REMOTE_ADDR"))) {
        request.insert(QStringLiteral("env"), env);
        event.insert(QStringLiteral("request"), request);
    }
}

// The rare event whose text changes before it is stored. Qt may refuse what
// simdjson read (a lone surrogate escape, say): then it is an invalid event.
Result<QByteArray> rewritten(const QByteArray &json, const Amendments &amend, const QString &senderAddress)
{
    Result<QJsonObject> object = parseJsonObject(json, QStringLiteral("event"));
    if (!object)
        return object.errors();
    if (!amend.eventId.isEmpty())
        object->insert(QStringLiteral("event_id"), amend.eventId);
    if (amend.timestampError) {
        appendError(object.value(),
            QJsonObject { { "type", *amend.timestampError }, { "name", "timestamp" },
                { "sent_value", object->value(QLatin1String("timestamp")) } });
    }
    if (amend.timestamp > 0)
        object->insert(QStringLiteral("timestamp"), amend.timestamp);
    if (amend.shape) {
        for (const QString &cut : trimEventShape(object.value()))
            appendError(object.value(),
                QJsonObject {
                    { "type", "trimmed" }, { "name", cut.section(QLatin1Char(':'), 0, 0) }, { "value", cut } });
    }
    if (amend.resolveAutoIp)
        resolveAutoIp(object.value(), senderAddress);
    if (amend.scrub)
        scrubSecrets(object.value(), amend.keep);
    return QJsonDocument(object.value()).toJson(QJsonDocument::Compact);
}

} // namespace

Result<IncomingEvent> IncomingEvent::prepare(const QByteArray &json, const EventOrigin &origin)
{
    QByteArray stored = json;
    Result<json::Document> document = parseJsonDocument(json, QStringLiteral("event"));
    if (!document)
        return document.errors();
    Result<Event> parsed = parseEvent(document->root(), EventDetail::Summary);
    if (!parsed)
        return parsed.errors();
    const Amendments amend
        = amendmentsFor(document->root(), parsed.value(), origin.receivedMs, origin.fallbackEventId, origin.keepRules);
    if (amend.any()) {
        Result<QByteArray> text = rewritten(json, amend, origin.senderAddress);
        if (!text)
            return text.errors();
        stored = std::move(text).value();
        document = parseJsonDocument(stored, QStringLiteral("event"));
        if (!document)
            return document.errors();
        parsed = parseEvent(document->root(), EventDetail::Summary);
        if (!parsed)
            return parsed.errors();
    }

    IncomingEvent incoming;
    incoming.projectId = origin.projectId;
    incoming.receivedMs = origin.receivedMs;
    incoming.event = std::move(parsed).value();
    incoming.issue = groupEvent(incoming.event, GroupingDetail::KeysOnly); // explained by the writer for new keys
    incoming.storedRaw = prepareStoredRaw(stored);
    incoming.event.raw = QJsonObject();
    incoming.columns = eventColumns(incoming);
    return incoming;
}

Attachment IncomingEvent::prepareAttachment(Attachment attachment, unsigned keepRules)
{
    if (PageQueries::isPage(attachment.filename, attachment.contentType))
        attachment.data = scrubbedPage(attachment.data, keepRules).value_or(attachment.data);
    return attachment;
}

} // namespace faultline
