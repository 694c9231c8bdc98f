#include "model/stored_event.h"

#include "model/event_parser.h"

#include <QJsonDocument>

namespace faultline {

namespace {

// Fills in what is missing; says whether it did.
bool completed(QJsonObject &event, const QString &eventId, qint64 timestampMs)
{
    bool changed = false;
    if (!eventId.isEmpty() && normalizeEventId(event.value(QLatin1String("event_id")).toString()) != eventId) {
        event.insert(QStringLiteral("event_id"), eventId);
        changed = true;
    }
    const QJsonValue timestamp = event.value(QLatin1String("timestamp"));
    if (timestampMs > 0 && !timestamp.isString() && timestamp.toDouble() <= 0) {
        event.insert(QStringLiteral("timestamp"), double(timestampMs) / 1000.0);
        changed = true;
    }
    return changed;
}

} // namespace

QJsonObject storedEventObject(const QByteArray &rawJson, const QString &eventId, qint64 timestampMs)
{
    const QJsonDocument document = QJsonDocument::fromJson(rawJson);
    if (!document.isObject())
        return {};
    QJsonObject event = document.object();
    completed(event, eventId, timestampMs);
    return event;
}

QByteArray storedEventText(
    const QByteArray &rawJson, const QString &eventId, qint64 timestampMs, StoredEventFormat format)
{
    const QJsonDocument document = QJsonDocument::fromJson(rawJson);
    if (!document.isObject())
        return rawJson;
    QJsonObject event = document.object();
    const bool changed = completed(event, eventId, timestampMs);
    if (format == StoredEventFormat::AsStored)
        return changed ? QJsonDocument(event).toJson(QJsonDocument::Compact) : rawJson;
    return QJsonDocument(event).toJson(QJsonDocument::Indented);
}

} // namespace faultline
