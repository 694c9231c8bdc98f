#pragma once
// From an event's JSON text to what the writer stores: scrub secrets, parse
// leniently (which also recognises validation errors and the HTTP outcome),
// group.
#include "model/result.h"
#include "storage/incoming_event.h"

#include <QByteArray>
#include <QString>

namespace faultline {

// The text is stored as sent unless it has to change: secrets are scrubbed,
// and an event without an `event_id` gets `fallbackEventId` (the envelope's)
// when there is one. Only then is it rebuilt with Qt and re-serialised.
Result<IncomingEvent> prepareEvent(const QByteArray &json, qint64 projectId, qint64 receivedMs,
                                   const QString &fallbackEventId = {});

}  // namespace faultline
