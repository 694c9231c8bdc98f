#pragma once
// Gathers the writer's outcomes for the events of one request (an envelope
// may carry several) and builds the request's answer once the last arrives:
// 200 with the event id when all committed, else 503 naming the first error.
#include "collector/http_types.h"
#include "storage/incoming_event.h"

#include <QString>

#include <mutex>
#include <optional>

namespace faultline {

class CommitOutcomes {
public:
    // `answerId`: the id to answer with; empty = the first committed event's.
    CommitOutcomes(int expected, QString answerId);

    // Thread-safe. Returns the answer with the last expected outcome, else nothing.
    std::optional<HttpResponse> add(const WriteOutcome &outcome, int retryAfterSeconds);

private:
    std::mutex m_mutex;
    int m_remaining;
    QString m_id;
    QString m_firstError;
};

} // namespace faultline
