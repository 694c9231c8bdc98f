#pragma once
// Grouping of events into issues. The key is a stable hash of what the current
// strategy (v2, model/grouping_v2.h) counted; the v1 key (model/grouping_v1.h)
// comes along so an event can still join an issue created under v1. Title and
// culprit are what the issue list shows.
#include "model/event.h"
#include "model/grouping_explanation.h"
#include "model/in_app.h"

#include <QString>
#include <QStringList>

namespace faultline {

struct IssueKey {
    QString fingerprint; // hex SHA-1 under the current strategy: the issue's identity in a project
    QString legacyFingerprint; // hex SHA-1 under v1, for issues created before v2; empty = none
    QStringList components; // what the fingerprint hashes; empty with GroupingDetail::KeysOnly
    // What counted and what was ignored, for "Grouped by: …"; empty with GroupingDetail::KeysOnly
    GroupingExplanation explanation;
    QString title; // "Type: value", or the message as sent
    QString culprit; // nearest app frame "module in function", else the top frame, else transaction
};

enum class GroupingDetail {
    Explained, // with the explanation and the components: the detail view, the CLI, MCP, re-grouping
    KeysOnly, // keys, title and culprit: what the collector needs for every event it accepts
};

IssueKey groupEvent(const Event &event, GroupingDetail detail = GroupingDetail::Explained);

// The explanation of `key`, grouped from `event`: the one groupEvent() made, else
// (GroupingDetail::KeysOnly) the current strategy's, worked out now. The writer
// stores it once per new key.
GroupingExplanation explanationOf(const IssueKey &key, const Event &event);

// The current strategy's name, as stored beside each key.
QString currentGroupingStrategy();

} // namespace faultline
