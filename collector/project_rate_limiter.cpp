#include "collector/project_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace faultline {

ProjectRateLimiter::ProjectRateLimiter(int defaultEventsPerMinute)
    : m_default(defaultEventsPerMinute)
{
}

void ProjectRateLimiter::setLimit(qint64 projectId, int eventsPerMinute)
{
    std::lock_guard lock(m_mutex);
    m_limits.insert(projectId, eventsPerMinute);
    m_buckets.remove(projectId);
}

int ProjectRateLimiter::limit(qint64 projectId) const
{
    std::lock_guard lock(m_mutex);
    return m_limits.value(projectId, m_default);
}

std::optional<int> ProjectRateLimiter::acquire(qint64 projectId, int events, Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    const int perMinute = m_limits.value(projectId, m_default);
    if (perMinute <= 0)
        return std::nullopt;
    Bucket &bucket = m_buckets[projectId];
    const double capacity = perMinute;
    const double perSecond = perMinute / 60.0;
    if (!bucket.primed) {
        bucket = Bucket { capacity, now, true };
    } else {
        const double elapsed = std::chrono::duration<double>(now - bucket.refilledAt).count();
        bucket.tokens = std::min(capacity, bucket.tokens + elapsed * perSecond);
        bucket.refilledAt = now;
    }
    if (bucket.tokens >= events) {
        bucket.tokens -= events;
        return std::nullopt;
    }
    return std::max(1, int(std::ceil((events - bucket.tokens) / perSecond)));
}

} // namespace faultline
