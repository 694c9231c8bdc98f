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
    QStringList components; // what the fingerprint hashes
    GroupingExplanation explanation; // what counted and what was ignored, for "Grouped by: …"
    QString title; // "Type: value", or the message as sent
    QString culprit; // nearest app frame "module in function", else the top frame, else transaction
};

IssueKey groupEvent(const Event &event);

// The current strategy's name, as stored beside each key.
QString currentGroupingStrategy();

} // namespace faultline
