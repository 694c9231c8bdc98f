#pragma once
// From a decoded event object to what the writer stores: scrub secrets,
// parse leniently (which also recognises validation errors and the HTTP
// outcome), group.
#include "model/result.h"
#include "storage/incoming_event.h"

#include <QJsonObject>

namespace faultline {

Result<IncomingEvent> prepareEvent(QJsonObject json, qint64 projectId, qint64 receivedMs);

}  // namespace faultline
