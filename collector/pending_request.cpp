#include "collector/pending_request.h"

#include "collector/collector_stats.h"
#include "collector/error_response.h"

#include <QJsonObject>

namespace faultline {

PendingRequest::PendingRequest(RequestLine line, RefusalSinks sinks, int retryAfterSeconds, Responder respond)
    : m_line(std::move(line))
    , m_sinks(std::move(sinks))
    , m_retryAfterSeconds(retryAfterSeconds)
    , m_respond(std::move(respond))
{
}

bool PendingRequest::claim()
{
    std::lock_guard lock(m_mutex);
    if (m_answered)
        return false;
    m_answered = true;
    return true;
}

void PendingRequest::send(HttpResponse response)
{
    // Browser SDKs post cross-origin; they need these to read our answer.
    m_respond(std::move(response.withHeader("Access-Control-Allow-Origin", "*")
                            .withHeader("Access-Control-Expose-Headers", "Retry-After, X-Sentry-Rate-Limits")));
}

void PendingRequest::answer(HttpResponse response)
{
    if (claim())
        send(std::move(response));
}

void PendingRequest::refuse(const IngestError &error, const std::optional<RefusedRequest> &about)
{
    if (!claim())
        return;
    const IngestError backingOff = error.withDefaultRetryAfter(m_retryAfterSeconds);
    recordRefusal(*m_sinks.stats, *m_sinks.log, m_sinks.drops.get(), m_line, backingOff, about);
    send(httpAnswer(backingOff));
}

void PendingRequest::expectOutcomes(int events, QString answerId, QByteArray rateLimits)
{
    std::lock_guard lock(m_mutex);
    m_remaining = events;
    m_id = std::move(answerId);
    m_rateLimits = std::move(rateLimits);
}

void PendingRequest::addOutcome(const WriteOutcome &outcome)
{
    if (outcome.committed)
        ++m_sinks.stats->acceptedEvents;
    QString firstError;
    QString id;
    {
        std::lock_guard lock(m_mutex);
        if (m_remaining <= 0)
            return;
        if (!outcome.committed && m_firstError.isEmpty())
            m_firstError = outcome.error.isEmpty() ? QStringLiteral("unknown error") : outcome.error;
        if (outcome.committed && m_id.isEmpty())
            m_id = outcome.eventId;
        if (--m_remaining > 0)
            return;
        firstError = m_firstError;
        id = m_id;
    }
    if (!firstError.isEmpty()) {
        refuse(IngestError::storeFailed(firstError));
        return;
    }
    HttpResponse response = jsonResponse(200, QJsonObject { { "id", id } });
    if (!m_rateLimits.isEmpty())
        response.withHeader("X-Sentry-Rate-Limits", m_rateLimits);
    answer(std::move(response));
}

} // namespace faultline
