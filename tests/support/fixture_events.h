#pragma once
// The error event inside a fixture, parsed: the body of a store fixture, or
// the first `event` item of an envelope fixture.
#include "model/event.h"

#include <QJsonObject>
#include <QString>

namespace faultline::test {

// The event JSON object of fixture `baseName` ("python_exception_store",
// "node_exception_envelope"); empty with a qWarning if there is none.
QJsonObject fixtureEventJson(const QString &baseName);

// fixtureEventJson() through parseEvent(); a default Event with a qWarning on failure.
Event fixtureEvent(const QString &baseName);

} // namespace faultline::test
