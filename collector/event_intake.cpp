#include "collector/event_intake.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "model/scrub.h"

namespace faultline {

Result<IncomingEvent> prepareEvent(QJsonObject json, qint64 projectId, qint64 receivedMs, const QByteArray &sentJson)
{
    const bool scrubbed = scrubSecrets(json);
    Result<Event> parsed = parseEvent(json);
    if (!parsed)
        return parsed.errors();

    IncomingEvent incoming;
    incoming.projectId = projectId;
    incoming.receivedMs = receivedMs;
    incoming.event = std::move(parsed).value();
    incoming.issue = groupEvent(incoming.event);
    // Serialise and compress here, on the HTTP thread, in parallel; then free the
    // JSON tree here too, so the single writer thread neither builds nor destroys it.
    incoming.storedRaw = scrubbed || sentJson.isEmpty() ? prepareStoredRaw(incoming.event.raw)
                                                        : prepareStoredRaw(sentJson);
    incoming.event.raw = QJsonObject();
    return incoming;
}

}  // namespace faultline
