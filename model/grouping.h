#pragma once
// Grouping of events into issues (v1). The fingerprint is a stable hash of the
// grouping components; title and culprit are what the issue list shows.
#include "model/event.h"

#include <QString>
#include <QStringList>

namespace faultline {

struct IssueKey {
    QString fingerprint;   // hex SHA-1 of `components`, the issue's identity within a project
    QStringList components;  // what went into it, for troubleshooting ("Grouped by: …")
    QString title;         // "Type: value", or the message
    QString culprit;       // top in-app frame: "module in function", or transaction
};

// SDK fingerprint (with {{ default }} expanded) > exception type + in-app
// frames' module/function > message template > message.
IssueKey groupEvent(const Event &event);

// Whether a frame is the application's own code, for grouping and culprit (and
// for views that highlight app frames). The SDK's in_app flag, overridden for
// paths that are always library code (site-packages, node_modules, node:…).
bool isInApp(const Frame &frame);

}  // namespace faultline
