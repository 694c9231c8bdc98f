#pragma once
// What the collector hands to the writer: a parsed, scrubbed, grouped event.
#include "model/event.h"
#include "model/grouping.h"
#include "storage/event_columns.h"
#include "storage/raw_codec.h"

#include <QList>
#include <QtGlobal>

namespace faultline {

struct IncomingEvent {
    qint64 projectId = 0;
    Event event;
    IssueKey issue;
    QList<Attachment> attachments;
    qint64 receivedMs = 0; // epoch milliseconds when the collector got it
    // event.raw as stored (compact JSON, then compressed) and the events-table
    // columns: what the writer thread binds. The collector compresses the raw
    // text it received; EventWriter fills in whichever is still empty, on the
    // sender's thread, so the single writer thread does not serialise.
    // See prepareStoredRaw() and event_columns.h.
    StoredRaw storedRaw;
    EventColumns columns;
};

// The writer's answer for one event, delivered after its batch committed (or failed).
struct WriteOutcome {
    bool committed = false;
    QString eventId;
    qint64 issueId = 0;
    bool newIssue = false;
    bool regression = false; // a resolved issue got a new event and was reopened
    bool escalation = false; // an issue ignored until it escalates got more events in an hour than allowed
    QString error; // when !committed: why (for the log and a 5xx answer)
};

} // namespace faultline
