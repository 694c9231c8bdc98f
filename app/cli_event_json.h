#pragma once
// What `faultline events --json` and `faultline event ID` print for one event:
// the stored columns, what the parser understood of the stored JSON (message,
// exception, frames, validation errors, HTTP outcome), and the event's own
// sections (user, breadcrumbs, request, contexts, sdk, extra) as stored, that
// is after scrubbing.
#include "storage/event_queries.h"

#include <QJsonObject>
#include <QString>

namespace faultline {

class EventReader;

// On a stored event that does not parse, *parseError says why and the
// object has the columns only.
QJsonObject cliEventJson(const EventReader &events, const EventRow &row, QString *parseError);

// The stored event JSON as accepted, with its id and timestamp (see
// model/stored_event.h): one line, for `--raw`.
QByteArray cliRawEvent(const EventRow &row);

} // namespace faultline
