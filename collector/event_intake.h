#pragma once
// From a decoded event object to what the writer stores: scrub secrets,
// parse leniently (which also recognises validation errors and the HTTP
// outcome), group.
#include "model/result.h"
#include "storage/incoming_event.h"

#include <QJsonObject>

namespace faultline {

// `sentJson`: the JSON text `json` was parsed from, when the caller did not
// change the object; if scrubbing changes nothing either, those bytes are
// stored as sent (faithful, and no re-serialisation).
Result<IncomingEvent> prepareEvent(QJsonObject json, qint64 projectId, qint64 receivedMs,
                                   const QByteArray &sentJson = {});

}  // namespace faultline
