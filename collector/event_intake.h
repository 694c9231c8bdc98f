#pragma once
// From an event's JSON text to what the writer stores: scrub secrets, parse
// leniently (which also recognises validation errors and the HTTP outcome),
// group.
#include "model/result.h"
#include "storage/incoming_event.h"

#include <QByteArray>
#include <QString>

namespace faultline {

// The text is stored as sent unless it has to change, so that what is stored
// is what every view, the CLI and an export show: secrets are scrubbed; an
// event without a usable `event_id` gets `fallbackEventId` (the envelope's) or
// a new one, and one without a readable `timestamp` gets `receivedMs`, both
// written into the event; `{{auto}}` addresses become `senderAddress`. Only
// then is it rebuilt with Qt and re-serialised. `keepRules`: the project's
// scrub opt-outs (ScrubOptOut bits, model/secret_text.h).
Result<IncomingEvent> prepareEvent(const QByteArray &json, qint64 projectId, qint64 receivedMs,
    const QString &fallbackEventId = {}, const QString &senderAddress = {}, unsigned keepRules = 0);

} // namespace faultline
