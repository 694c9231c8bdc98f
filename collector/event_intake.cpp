#include "collector/event_intake.h"
#include "model/json_dom.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "model/json_object.h"
#include "model/scrub.h"

#include <QJsonDocument>

namespace faultline {

namespace {

// The rare event whose text changes before it is stored.
QByteArray rewritten(const QByteArray &json, const QString &fallbackEventId)
{
    QJsonObject object = parseJsonObject(json).value();
    if (!fallbackEventId.isEmpty() && !object.contains(QLatin1String("event_id")))
        object.insert(QStringLiteral("event_id"), fallbackEventId);
    scrubSecrets(object);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
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
        stored = rewritten(json, fallbackEventId);
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
