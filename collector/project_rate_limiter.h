#pragma once
// Per-project rate limit (events per minute, token bucket), so one service in
// a crash loop cannot crowd out the others. Limited clients get a 429 with
// the seconds until a token is free; the SDKs then drop locally and report
// the loss in a client_report, which Faultline counts.
#include <QHash>

#include <chrono>
#include <mutex>
#include <optional>

namespace faultline {

class ProjectRateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    // eventsPerMinute 0 = unlimited. The bucket holds one minute's worth (the burst).
    explicit ProjectRateLimiter(int defaultEventsPerMinute = 0);

    void setLimit(qint64 projectId, int eventsPerMinute);
    int limit(qint64 projectId) const;

    // Takes `events` tokens; nullopt when allowed, else the seconds to wait.
    std::optional<int> acquire(qint64 projectId, int events = 1, Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point refilledAt {};
        bool primed = false;
    };
    mutable std::mutex m_mutex;
    int m_default;
    QHash<qint64, int> m_limits;
    QHash<qint64, Bucket> m_buckets;
};

} // namespace faultline
