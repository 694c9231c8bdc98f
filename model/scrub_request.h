#pragma once
// The members of an event's `request` that hold secrets by their place (headers,
// cookies, form bodies, query strings), one table row per member pairing its
// rewrite with the read-only check that mirrors it, so neither exists without
// the other (tests/model/tst_scrub_rules.cpp runs each row's example on both).
#include "model/json_dom_fwd.h"

#include <QJsonObject>
#include <QJsonValue>

#include <span>

namespace faultline {

struct RequestMemberRule {
    const char *member; // its name in `request`, lower case (matched in any case)
    QJsonValue (*rewrite)(const QJsonValue &value);
    // Whether rewrite() would change the value; for cookie strings and form
    // bodies, whether it might (the rewrite then decides).
    bool (*mayChange)(const json::Node &value);
    const char *example; // JSON of a value the rule filters
};

std::span<const RequestMemberRule> requestMemberRules();

// The request with every member scrubbed by its rule; other members holding an
// object or an array are scrubbed like any value, other scalars are kept.
QJsonObject scrubRequest(QJsonObject request);
// Whether scrubRequest() would (or, see mayChange, might) change it.
bool requestNeedsScrubbing(const json::Node &request);

} // namespace faultline
