#pragma once
// Size limits of the collector; each one, when hit, is a 413 that names it.
#include <QtGlobal>

namespace faultline {

struct CollectorLimits {
    qint64 maxBodyBytes = 20 << 20; // request body as received
    qint64 maxDecodedBytes = 50 << 20; // after Content-Encoding
    qint64 maxEventBytes = 1 << 20; // one event's JSON (Sentry's own limit)
    qint64 maxAttachmentBytes = 10 << 20; // one attachment
    int maxEnvelopeItems = 100;
    int retryAfterSeconds = 2; // advised back-off when the writer queue is full
    int projectEventsPerMinute = 0; // per-project rate limit; 0 = unlimited
    // Attachment bytes a project may store per hour (collector/attachment_quota.h); 0 = unlimited.
    // 100 MiB lets a normal service's crash pages and minidumps through.
    qint64 projectAttachmentBytesPerHour = qint64(100) << 20;
};

} // namespace faultline
