#pragma once
// The tags Sentry derives from an event's own fields, so an issue can sum up
// who and what its events came from: `server_name`, `user` (the first of
// id / email / username / ip_address, written "id:42" as Sentry does) plus
// each identity on its own (`user.id`, `user.email`, `user.username`,
// `user.ip`) for `user.email:a@b.c` searches, and the browser, OS, runtime
// and device contexts ("CPython 3.11.2"). A browser without a context is
// read from the request's User-Agent, as Relay does.
#include "model/event.h"

#include <QList>
#include <QStringList>

namespace faultline {

namespace json {
class Node;
}

// Read from the received event (the collector's summary parse keeps no raw
// `user` or `contexts`). Empty values are left out.
QList<Tag> readDerivedTags(const json::Node &event);

// The derived tag keys, for views and for the search (they live outside event_tags).
const QStringList &derivedTagKeys();
bool isDerivedTagKey(const QString &key);
// "user.email" → true: one identity of a user, searched but not listed on its own.
bool isUserIdentityKey(const QString &key);

// "Chrome 120.0.0.0" for a User-Agent, empty when it names no known browser.
QString browserFromUserAgent(const QString &userAgent);

// Derived tags in the events column that stores them: "\x1fkey=value\x1f…", so
// `key=value` matches as a whole segment (see storage/query_sql.cpp).
QString derivedTagsColumn(const QList<Tag> &tags);
QString derivedTagSegment(const QString &key, const QString &value);
QList<Tag> parseDerivedTagsColumn(const QString &column);

} // namespace faultline
