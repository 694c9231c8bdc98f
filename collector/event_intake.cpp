#include "collector/event_intake.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "model/json_dom.h"
#include "model/json_object.h"
#include "model/scrub.h"

#include <QJsonDocument>

namespace faultline {

namespace {

using namespace std::string_view_literals;

// What has to be filled in or replaced before the event is stored, so that
// what is stored is what every view shows (one id, one timestamp, no secrets).
struct Amendments {
    QString eventId;          // set when the sent id is missing, unusable or not in canonical form
    double timestamp = 0;     // set when the sent timestamp is missing or unreadable
    bool resolveAutoIp = false;
    bool scrub = false;

    bool any() const { return !eventId.isEmpty() || timestamp > 0 || resolveAutoIp || scrub; }
};

bool isAuto(const json::Node &value) { return value.stringView() == "{{auto}}"sv; }

Amendments amendmentsFor(const json::Node &root, const Event &parsed, qint64 receivedMs,
                         const QString &fallbackEventId)
{
    Amendments needed;
    const std::string_view sentId = root["event_id"sv].stringView();
    if (QLatin1String(sentId.data(), qsizetype(sentId.size())) != parsed.eventId) {
        const QString sent = normalizeEventId(json::scalarText(root["event_id"sv]));
        const QString fallback = normalizeEventId(fallbackEventId);
        // The parser generated parsed.eventId when the sent one was unusable.
        needed.eventId = !sent.isEmpty() ? sent : !fallback.isEmpty() ? fallback : parsed.eventId;
    }
    if (parsed.timestamp <= 0)
        needed.timestamp = double(receivedMs) / 1000.0;  // as Sentry does: when it arrived
    // Legacy clients ask the server to fill in the sender's address.
    needed.resolveAutoIp = isAuto(root["user"sv]["ip_address"sv]) || isAuto(root["request"sv]["env"sv]["REMOTE_ADDR"sv]);
    needed.scrub = needsScrubbing(root);
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
    if (amend.timestamp > 0)
        object->insert(QStringLiteral("timestamp"), amend.timestamp);
    if (amend.resolveAutoIp)
        resolveAutoIp(object.value(), senderAddress);
    if (amend.scrub)
        scrubSecrets(object.value());
    return QJsonDocument(object.value()).toJson(QJsonDocument::Compact);
}

}  // namespace

Result<IncomingEvent> prepareEvent(const QByteArray &json, qint64 projectId, qint64 receivedMs,
                                   const QString &fallbackEventId, const QString &senderAddress)
{
    QByteArray stored = json;
    Result<json::Document> document = parseJsonDocument(json, QStringLiteral("event"));
    if (!document)
        return document.errors();
    Result<Event> parsed = parseEvent(document->root(), EventDetail::Summary);
    if (!parsed)
        return parsed.errors();
    const Amendments amend = amendmentsFor(document->root(), parsed.value(), receivedMs, fallbackEventId);
    if (amend.any()) {
        Result<QByteArray> text = rewritten(json, amend, senderAddress);
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
    incoming.projectId = projectId;
    incoming.receivedMs = receivedMs;
    incoming.event = std::move(parsed).value();
    incoming.issue = groupEvent(incoming.event);
    // Compress here, on the HTTP thread, in parallel: the single writer thread only writes.
    incoming.storedRaw = prepareStoredRaw(stored);
    incoming.event.raw = QJsonObject();
    return incoming;
}

}  // namespace faultline
