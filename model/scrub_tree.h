#pragma once
// The two walks over an event's tree that model/scrub.cpp and model/scrub_request.cpp
// share: the Qt rewrite and, mirroring it, the read-only check on the simdjson DOM.
// Both apply the same rule tables (model/secret_keys.h, model/secret_text.h).
#include "model/json_dom_fwd.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace faultline::scrub_tree {

QString filteredText();

// Every scalar of the value "[Filtered]" (nulls stay): a secret's whole subtree.
QJsonValue filterAll(const QJsonValue &value);
// Sensitive keys filtered, text rules applied to every string, anywhere below.
QJsonValue scrubValue(const QJsonValue &value);
QJsonObject scrubObject(const QJsonObject &object);

// filterAll(value) != value, and scrubValue(value) != value, on the simdjson DOM.
bool filterChanges(const json::Node &value);
bool valueNeedsScrubbing(const json::Node &value);

} // namespace faultline::scrub_tree
