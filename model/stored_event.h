#pragma once
// The stored event JSON as a person sees, copies and exports it. Since ingest
// writes the id and timestamp into every event, these only matter for events
// stored before it did: they get the id and time every other view shows
// (the stored columns), never a new one.
#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace faultline {

// `rawJson` parsed, with `event_id` and `timestamp` (epoch seconds) filled in
// from the stored columns where the JSON lacks a usable one. Empty when
// `rawJson` is not a JSON object.
QJsonObject storedEventObject(const QByteArray &rawJson, const QString &eventId, qint64 timestampMs);

enum class StoredEventFormat {
    Indented, // for the clipboard and "Save JSON"
    AsStored, // the stored bytes themselves unless something had to be filled in (`--raw`)
};

// storedEventObject() as text; the raw bytes when they are not an object
// (nothing is hidden).
QByteArray storedEventText(const QByteArray &rawJson, const QString &eventId, qint64 timestampMs,
    StoredEventFormat format = StoredEventFormat::Indented);

} // namespace faultline
