#pragma once
// What the app hands the main window: where the data is, and read-only views
// of the collector (the UI does not link the collector; app wires it in).
#include "model/alert_rules.h"

#include <QString>
#include <QtGlobal>

#include <functional>

namespace faultline {

class EventWriter;
class RetentionScheduler;
class StorageGateway;

struct CollectorStatus {
    quint64 acceptedEvents = 0;
    quint64 rejectedRequests = 0;
    quint64 rateLimited = 0;
    quint64 clientDiscarded = 0;
    // Why the collector refuses every event (disk space low, the database damaged or
    // read-only), and the HTTP status it answers with; "" = it collects.
    QString refusing;
    int refusingStatus = 0;
};

struct MainWindowContext {
    QString dbPath;
    // Every read and write the window and its dialogs make; app/ owns it. Must be set.
    StorageGateway *storage = nullptr;
    QString collectorHostPort; // "127.0.0.1:8990", for DSNs
    std::function<CollectorStatus()> collectorStatus; // cheap; polled by the status bar
    EventWriter *writer = nullptr; // batchCommitted drives live updates; may be null in tests
    RetentionScheduler *retention = nullptr; // progress shows in the status bar; may be null
    // Sends a sample alert through a rule on the app's alert engine; null hides "Send Test".
    std::function<void(const AlertRule &, const AlertIssue &)> sendTestAlert;
    bool collectsInProcess = false; // this process runs the collector: closing the window hides it
    QString collectedBy; // viewer of a collector elsewhere: who, e.g. "faultline --headless (pid 4242)"
};

} // namespace faultline
