#pragma once
// What the writer stores: a parsed, scrubbed, grouped event with its stored
// text and columns. IncomingEvent::prepare() is the one way to build one (see
// storage/event_preparation.cpp): the collector, the tests, the benches and the
// CLI's fixtures all turn a client's JSON into a stored event the same way, so
// what they store is what a real client's event becomes.
#include "model/event.h"
#include "model/grouping.h"
#include "model/result.h"
#include "storage/event_columns.h"
#include "storage/raw_codec.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace faultline {

// Where an event came from, for what preparation fills in or leaves out.
struct EventOrigin {
    qint64 projectId = 0;
    qint64 receivedMs = 0; // epoch milliseconds when the collector got it
    QString fallbackEventId; // the envelope's event_id, for an event without one
    QString senderAddress; // the client's address, for `{{auto}}` (legacy clients)
    unsigned keepRules = 0; // the project's scrub opt-outs (ScrubOptOut bits, model/secret_text.h)
};

class IncomingEvent {
public:
    // The text is stored as sent unless it has to change, so that what is stored
    // is what every view, the CLI and an export show: secrets are scrubbed; an
    // event without a usable `event_id` gets the origin's fallback or a new one,
    // and one without a readable `timestamp` the receipt time, both written into
    // the event; `{{auto}}` addresses become the sender's. Only then is it rebuilt
    // with Qt and re-serialised. Then it is grouped, compressed and its columns
    // built, here, on the caller's thread: the single writer thread only writes.
    static Result<IncomingEvent> prepare(const QByteArray &json, const EventOrigin &origin);
    // An attachment as it is kept with its event: a page the user saw is scrubbed
    // like the event's strings (issue 15, finding 7).
    static Attachment prepareAttachment(Attachment attachment, unsigned keepRules);

    qint64 projectId = 0;
    Event event; // its `raw` is empty: the stored text is `storedRaw`
    IssueKey issue;
    QList<Attachment> attachments;
    qint64 receivedMs = 0;
    StoredRaw storedRaw; // event.raw as stored: compact JSON, compressed
    EventColumns columns; // what the writer binds into the events table

private:
    IncomingEvent() = default;
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
