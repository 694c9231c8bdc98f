#pragma once
// Two events side by side (issue 13: "see why they did or did not group"):
// whether the current grouping gives them the same key, the first part of the
// key where they differ, and the facts a person compares (exception, the parts
// grouping counted, tags), each row marked when the two differ.
#include "model/event.h"

#include <QList>
#include <QString>

namespace faultline {

struct ComparisonRow {
    QString section; // "Grouping", "Exception", "Tags"
    QString label; // "type", "frame 2", "release"…
    QString left;
    QString right;
    bool differs = false;
};

struct EventComparison {
    bool sameKey = false;
    QString leftKey; // the current strategy's fingerprints
    QString rightKey;
    // Where the keys part ways, in words ("exception type `ValidationError` / `KeyError`");
    // empty when they are the same.
    QString firstDifference;
    QList<ComparisonRow> rows;
};

EventComparison compareEvents(const Event &left, const Event &right);

} // namespace faultline
