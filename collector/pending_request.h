#pragma once
// One request on its way to its answer. It owns the Responder, and whatever
// answers the request goes through it: a refusal decided now (counted, logged,
// recorded for the dropped-events view), an answer of its own (health,
// pre-flight), or the writer's outcomes for the events of an envelope, gathered
// into one answer once the last committed: 200 with the event id when all did,
// else a 503 naming the first error. Every answer gets the CORS headers browser
// SDKs need. Shared with the writer's outcome handler, so it holds no reference
// to the handler that made it (a collector may stop while the writer drains).
#include "collector/ingest_error.h"
#include "collector/refused_request.h"
#include "storage/incoming_event.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>

namespace faultline {

class DropLog;
class RejectionLog;
struct CollectorStats;

// Where refusals are counted: shared, since answers after a commit may come late.
struct RefusalSinks {
    std::shared_ptr<CollectorStats> stats;
    std::shared_ptr<RejectionLog> log;
    std::shared_ptr<DropLog> drops; // may be null
};

class PendingRequest {
public:
    // `retryAfterSeconds`: the collector's back-off, for refusals that have none of their own.
    PendingRequest(RequestLine line, RefusalSinks sinks, int retryAfterSeconds, Responder respond);

    // Each answers at most once: the first answer wins, later ones are ignored.
    void answer(HttpResponse response);
    // `about`: the refused request, when it is still at hand.
    void refuse(const IngestError &error, const std::optional<RefusedRequest> &about = {});

    // The writer will report `events` outcomes; the answer names `answerId` (empty =
    // the first committed event's). `rateLimits` (Relay's `retry:categories:scope`)
    // goes with a success, to hold back what was dropped (attachments over quota).
    void expectOutcomes(int events, QString answerId, QByteArray rateLimits = {});
    // Thread-safe. Answers with the last expected outcome.
    void addOutcome(const WriteOutcome &outcome);

private:
    bool claim(); // true for the first answer only
    void send(HttpResponse response);

    const RequestLine m_line;
    const RefusalSinks m_sinks;
    const int m_retryAfterSeconds;
    const Responder m_respond;

    std::mutex m_mutex;
    bool m_answered = false;
    int m_remaining = 0;
    QString m_id;
    QString m_firstError;
    QByteArray m_rateLimits;
};

} // namespace faultline
