#include "collector/event_intake.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "model/json_dom.h"
#include "model/json_object.h"
#include "model/scrub.h"

#include <QJsonDocument>

namespace faultline {

namespace {

// The rare event whose text changes before it is stored. Qt may refuse what
// simdjson read (a lone surrogate escape, say): then it is an invalid event.
Result<QByteArray> rewritten(const QByteArray &json, const QString &fallbackEventId)
{
    Result<QJsonObject> object = parseJsonObject(json, QStringLiteral("event"));
    if (!object)
        return object.errors();
    if (!fallbackEventId.isEmpty() && !object->contains(QLatin1String("event_id")))
        object->insert(QStringLiteral("event_id"), fallbackEventId);
    scrubSecrets(object.value());
    return QJsonDocument(object.value()).toJson(QJsonDocument::Compact);
}

}  // namespace

Result<IncomingEvent> prepareEvent(const QByteArray &json, qint64 projectId, qint64 receivedMs,
                                   const QString &fallbackEventId)
{
    QByteArray stored = json;
    Result<json::Document> document = parseJsonDocument(json, QStringLiteral("event"));
    if (!document)
        return document.errors();
    const bool lacksId = !fallbackEventId.isEmpty() && !document->root().contains("event_id");
    if (lacksId || needsScrubbing(document->root())) {
        Result<QByteArray> text = rewritten(json, fallbackEventId);
        if (!text)
            return text.errors();
        stored = std::move(text).value();
        document = parseJsonDocument(stored, QStringLiteral("event"));
        if (!document)
            return document.errors();
    }
    Result<Event> parsed = parseEvent(document->root(), EventDetail::Summary);
    if (!parsed)
        return parsed.errors();

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
