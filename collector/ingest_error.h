#pragma once
// Why the collector refuses a request, as a value: every refusal, whichever
// layer decides it (the HTTP layer, the ingestion handler, the writer after a
// commit), is one of these kinds, and httpAnswer() is the one place that turns
// it into a status, a JSON body and headers (relay's
// BadStoreRequest::into_response is the model). The table is in
// docs/ARCHITECTURE.md, "One path for an answer".
#include "collector/http_types.h"
#include "model/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace faultline {

enum class IngestErrorKind {
    NoSuchEndpoint, // 404
    MethodNotAllowed, // 405, with Allow
    MissingKey, // 401
    WrongKey, // 403: a wrong key and an unknown project answer alike
    TooLarge, // 413: a body, an event, an attachment, an envelope's item count
    Unsupported, // 415: a content encoding we cannot decode
    Malformed, // 400: framing, encoding, JSON or envelope syntax
    InvalidEvent, // 400: an event that parses but breaks the protocol, each field error in `details`
    TooSlow, // 408: a body slower than the minimum rate, or one that never started
    RateLimited, // 429: the project's events per minute
    AttachmentQuota, // 429: the project's attachment bytes per hour
    QueueFull, // 429: the collector is saturated (write queue, buffered bodies)
    DiskFull, // 507: below the free-space threshold
    StoreFailed, // 503: the batch did not commit
    Stopping, // 503: the collector stopped before the commit
    Internal, // 500: an exception while handling the request
};

struct IngestError {
    IngestErrorKind kind = IngestErrorKind::Internal;
    QString message; // the answer's "error": what was wrong, in words
    QList<FieldError> details; // the answer's "details"
    int retryAfterSeconds = 0; // the back-off of the 429/503/507 kinds; 0 = the collector's default
    QByteArray allow; // MethodNotAllowed: the methods that are

    static IngestError noSuchEndpoint(const QString &path);
    static IngestError methodNotAllowed(QString message, QByteArray allow);
    static IngestError missingKey(QString message);
    static IngestError wrongKey(QString message);
    static IngestError tooLarge(const QString &what, qint64 size, qint64 limit);
    static IngestError tooLarge(QString message, QList<FieldError> details = {});
    static IngestError unsupported(QString message);
    static IngestError malformed(QString message, QList<FieldError> details = {});
    static IngestError invalidEvent(QList<FieldError> errors);
    static IngestError tooSlow(QString message);
    static IngestError rateLimited(qint64 projectId, int eventsPerMinute, int retryAfterSeconds);
    static IngestError attachmentQuota(qint64 projectId, qint64 bytesPerHour, int retryAfterSeconds);
    static IngestError queueFull(QString message);
    static IngestError diskFull(QString problem);
    static IngestError storeFailed(const QString &why);
    static IngestError stopping(QString message);
    static IngestError internal();

    // The same error, with the collector's back-off when it has none of its own.
    IngestError withDefaultRetryAfter(int seconds) const;
};

int httpStatus(IngestErrorKind kind);
// The answer a client gets: {"error": message, "status_code": N, "details": [...]},
// with Retry-After and X-Sentry-Rate-Limits for the kinds that ask to back off,
// Allow for a wrong method. `reason` (for the log) is the message.
HttpResponse httpAnswer(const IngestError &error);
// The dropped-events view's word for it: invalid, unparseable, too_large, too_slow, rate_limited,
// attachment_quota, queue_full, wrong_key, not_found, disk_full, not_stored.
QString dropReason(IngestErrorKind kind);
// Every kind, in declaration order (for tests and docs).
QList<IngestErrorKind> allIngestErrorKinds();

} // namespace faultline
