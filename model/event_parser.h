#pragma once
// Lenient parsing of a Sentry event into faultline::Event, the way Sentry
// normalises: accepts every shape real SDKs send, rejects only what cannot be
// an event, naming the field path.
#include "model/event.h"
#include "model/json_dom_fwd.h"
#include "model/result.h"

#include <QByteArray>
#include <QJsonObject>

namespace faultline {

enum class EventDetail {
    // Everything, for showing an event: locals, breadcrumbs, `raw` = the whole event.
    Full,
    // What the collector derives and stores beside the event as sent: frames
    // without surrounding source lines, locals only counted, no breadcrumbs,
    // and `raw` holds only the members that validation errors and the HTTP
    // outcome are read from (membersReadFromRaw()).
    Summary,
};

// JSON text -> Event. Syntax errors, non-object roots and over-deep nesting are
// FieldErrors with loc [] (type "json_invalid" / "type_error.object").
Result<Event> parseEventJson(const QByteArray &json, EventDetail detail = EventDetail::Full);

// An already-parsed event object -> Event.
// A missing/zero/invalid event_id gets a fresh one; dashed UUIDs are normalised.
Result<Event> parseEvent(const json::Node &root, EventDetail detail);

// A Qt object -> Event (Full): for events built in code (tests, generators).
Result<Event> parseEvent(const QJsonObject &json);

// "1C6C…-…" / "1c6c…" -> 32 lowercase hex; empty when not a usable id (or all zeros).
QString normalizeEventId(const QString &id);
QString generateEventId();

// Timestamp as float epoch seconds, numeric string, or ISO-8601 (with Z/offset/fraction).
// Returns 0 when absent or unreadable.
double parseTimestamp(const json::Node &value);

} // namespace faultline
