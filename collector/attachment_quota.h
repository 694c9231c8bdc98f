#pragma once
// Attachments are their own rate-limit category (as in Relay): a byte quota
// per project and hour, because a 50 KB gzip envelope can decode to 49 MiB of
// attachments and the event count alone does not bound the disk (issue 15,
// finding 5). Over quota, the attachments are dropped and the event is kept;
// the answer names the `attachment` category in X-Sentry-Rate-Limits so SDKs
// stop sending them until the window ends.
#include "storage/incoming_event.h"

#include <QHash>
#include <QList>

#include <chrono>
#include <mutex>
#include <optional>

namespace faultline {

class AttachmentQuota {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr int kWindowSeconds = 3600;

    // bytesPerWindow 0 = unlimited; applies to every project without a quota of its own.
    explicit AttachmentQuota(qint64 defaultBytesPerWindow = 0);

    void setQuota(qint64 projectId, qint64 bytesPerWindow);
    qint64 quota(qint64 projectId) const;

    // Counts `bytes` in the project's current window: nullopt when they fit, else
    // the seconds until the window ends (and nothing is counted).
    std::optional<int> consume(qint64 projectId, qint64 bytes, Clock::time_point now = Clock::now());
    // The same answer without counting anything (for attachments that will not be stored).
    std::optional<int> check(qint64 projectId, qint64 bytes, Clock::time_point now = Clock::now());

private:
    std::optional<int> take(qint64 projectId, qint64 bytes, Clock::time_point now, bool count);

    struct Window {
        Clock::time_point start {};
        qint64 used = 0;
        bool open = false;
    };
    mutable std::mutex m_mutex;
    qint64 m_default;
    QHash<qint64, qint64> m_quotas;
    QHash<qint64, Window> m_windows;
};

struct AttachmentsOverQuota {
    int count = 0; // attachments dropped
    qint64 bytes = 0;
    int retryAfterSeconds = 0; // until the quota's window ends
    QString firstName; // the first dropped attachment's filename, for the example
};

// Counts each event's attachments against the project's quota, in order, and
// removes the ones that do not fit; the events themselves stay.
AttachmentsOverQuota dropAttachmentsOverQuota(AttachmentQuota &quota, qint64 projectId, QList<IncomingEvent> &events);

} // namespace faultline
