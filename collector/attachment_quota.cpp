#include "collector/attachment_quota.h"

#include <algorithm>
#include <cmath>

namespace faultline {

AttachmentQuota::AttachmentQuota(qint64 defaultBytesPerWindow)
    : m_default(defaultBytesPerWindow)
{
}

void AttachmentQuota::setQuota(qint64 projectId, qint64 bytesPerWindow)
{
    std::lock_guard lock(m_mutex);
    m_quotas.insert(projectId, bytesPerWindow);
}

qint64 AttachmentQuota::quota(qint64 projectId) const
{
    std::lock_guard lock(m_mutex);
    return m_quotas.value(projectId, m_default);
}

std::optional<int> AttachmentQuota::consume(qint64 projectId, qint64 bytes, Clock::time_point now)
{
    return take(projectId, bytes, now, true);
}

std::optional<int> AttachmentQuota::check(qint64 projectId, qint64 bytes, Clock::time_point now)
{
    return take(projectId, bytes, now, false);
}

std::optional<int> AttachmentQuota::take(qint64 projectId, qint64 bytes, Clock::time_point now, bool count)
{
    std::lock_guard lock(m_mutex);
    const qint64 limit = m_quotas.value(projectId, m_default);
    if (limit <= 0)
        return std::nullopt;
    // A fixed window from the first attachment (Relay's quotas are fixed windows too).
    Window &window = m_windows[projectId];
    const auto length = std::chrono::seconds(kWindowSeconds);
    if (!window.open || now - window.start >= length)
        window = Window { now, 0, true };
    if (bytes <= limit - window.used) {
        if (count)
            window.used += bytes;
        return std::nullopt;
    }
    const double left = std::chrono::duration<double>(window.start + length - now).count();
    return std::max(1, int(std::ceil(left)));
}

AttachmentsOverQuota dropAttachmentsOverQuota(AttachmentQuota &quota, qint64 projectId, QList<IncomingEvent> &events)
{
    AttachmentsOverQuota over;
    for (IncomingEvent &event : events) {
        QList<Attachment> kept;
        for (Attachment &attachment : event.attachments) {
            const qint64 size = attachment.data.size();
            if (const std::optional<int> wait = quota.consume(projectId, size)) {
                if (over.count++ == 0)
                    over.firstName = attachment.filename;
                over.bytes += size;
                over.retryAfterSeconds = *wait;
            } else {
                kept.append(std::move(attachment));
            }
        }
        event.attachments = std::move(kept);
    }
    return over;
}

} // namespace faultline
