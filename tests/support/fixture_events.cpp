#include "support/fixture_events.h"

#include "model/envelope.h"
#include "model/event_parser.h"
#include "support/fixtures.h"

#include <QDebug>
#include <QJsonDocument>

namespace faultline::test {

QJsonObject fixtureEventJson(const QString &baseName)
{
    const QByteArray body = fixtureBody(baseName);
    QByteArray eventJson;
    if (baseName.endsWith(QLatin1String("_envelope"))) {
        const auto envelope = parseEnvelope(body);
        if (!envelope) {
            qWarning() << "fixture envelope does not parse:" << baseName;
            return {};
        }
        for (const EnvelopeItem &item : envelope->items) {
            if (item.type == QLatin1String("event")) {
                eventJson = item.payload;
                break;
            }
        }
    } else {
        eventJson = body;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(eventJson);
    if (!doc.isObject())
        qWarning() << "fixture has no event object:" << baseName;
    return doc.object();
}

Event fixtureEvent(const QString &baseName)
{
    const auto event = parseEvent(fixtureEventJson(baseName));
    if (!event) {
        qWarning() << "fixture event does not parse:" << baseName << event.errors().first().msg;
        return {};
    }
    return event.value();
}

} // namespace faultline::test
