#include "collector/commit_outcomes.h"

#include "collector/error_response.h"

#include <QJsonObject>

namespace faultline {

CommitOutcomes::CommitOutcomes(int expected, QString answerId)
    : m_remaining(expected)
    , m_id(std::move(answerId))
{
}

std::optional<HttpResponse> CommitOutcomes::add(const WriteOutcome &outcome, int retryAfterSeconds)
{
    std::lock_guard lock(m_mutex);
    if (m_remaining <= 0)
        return std::nullopt;
    if (!outcome.committed && m_firstError.isEmpty())
        m_firstError = outcome.error.isEmpty() ? QStringLiteral("unknown error") : outcome.error;
    if (outcome.committed && m_id.isEmpty())
        m_id = outcome.eventId;
    if (--m_remaining > 0)
        return std::nullopt;
    if (!m_firstError.isEmpty())
        return errorResponse(503, QStringLiteral("the event could not be stored: %1").arg(m_firstError))
            .withHeader("Retry-After", QByteArray::number(retryAfterSeconds));
    return jsonResponse(200, QJsonObject { { "id", m_id } });
}

} // namespace faultline
