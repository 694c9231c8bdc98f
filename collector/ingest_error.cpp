#include "collector/ingest_error.h"

#include "collector/error_response.h"

namespace faultline {

namespace {

IngestError make(IngestErrorKind kind, QString message, QList<FieldError> details = {}, int retryAfterSeconds = 0)
{
    IngestError error;
    error.kind = kind;
    error.message = std::move(message);
    error.details = std::move(details);
    error.retryAfterSeconds = retryAfterSeconds;
    return error;
}

// Relay's `retry_after:categories:scope`: Sentry SDKs stop sending `categories`
// (";"-separated, empty = all) for that long.
QByteArray rateLimits(int seconds, const QByteArray &categories, const QByteArray &scope)
{
    return QByteArray::number(seconds) + ':' + categories + ':' + scope;
}

} // namespace

IngestError IngestError::noSuchEndpoint(const QString &path)
{
    return make(IngestErrorKind::NoSuchEndpoint,
        QStringLiteral("no such endpoint: %1 (Sentry clients post to /api/<project>/store/ "
                       "or /api/<project>/envelope/; plain JSON goes to /api/events)")
            .arg(path));
}

IngestError IngestError::methodNotAllowed(QString message, QByteArray allow)
{
    IngestError error = make(IngestErrorKind::MethodNotAllowed, std::move(message));
    error.allow = std::move(allow);
    return error;
}

IngestError IngestError::missingKey(QString message) { return make(IngestErrorKind::MissingKey, std::move(message)); }

IngestError IngestError::wrongKey(QString message) { return make(IngestErrorKind::WrongKey, std::move(message)); }

IngestError IngestError::tooLarge(const QString &what, qint64 size, qint64 limit)
{
    return make(IngestErrorKind::TooLarge,
        QStringLiteral("%1 of %2 bytes exceeds the %3 byte limit").arg(what).arg(size).arg(limit));
}

IngestError IngestError::tooLarge(QString message, QList<FieldError> details)
{
    return make(IngestErrorKind::TooLarge, std::move(message), std::move(details));
}

IngestError IngestError::unsupported(QString message) { return make(IngestErrorKind::Unsupported, std::move(message)); }

IngestError IngestError::malformed(QString message, QList<FieldError> details)
{
    return make(IngestErrorKind::Malformed, std::move(message), std::move(details));
}

IngestError IngestError::invalidEvent(QList<FieldError> errors)
{
    const QString first = errors.isEmpty() ? QString() : errors.first().msg;
    return make(IngestErrorKind::InvalidEvent, QStringLiteral("invalid event: %1").arg(first), std::move(errors));
}

IngestError IngestError::rateLimited(qint64 projectId, int eventsPerMinute, int retryAfterSeconds)
{
    return make(IngestErrorKind::RateLimited,
        QStringLiteral("project %1 is over its rate limit of %2 events per minute; retry in %3 s")
            .arg(projectId)
            .arg(eventsPerMinute)
            .arg(retryAfterSeconds),
        {}, retryAfterSeconds);
}

IngestError IngestError::attachmentQuota(qint64 projectId, qint64 bytesPerHour, int retryAfterSeconds)
{
    return make(IngestErrorKind::AttachmentQuota,
        QStringLiteral("project %1 is over its attachment quota of %2 bytes per hour; retry in %3 s")
            .arg(projectId)
            .arg(bytesPerHour)
            .arg(retryAfterSeconds),
        {}, retryAfterSeconds);
}

IngestError IngestError::tooSlow(QString message) { return make(IngestErrorKind::TooSlow, std::move(message)); }

IngestError IngestError::queueFull(QString message) { return make(IngestErrorKind::QueueFull, std::move(message)); }

IngestError IngestError::diskFull(QString problem) { return make(IngestErrorKind::DiskFull, std::move(problem)); }

IngestError IngestError::storeFailed(const QString &why)
{
    return make(IngestErrorKind::StoreFailed, QStringLiteral("the event could not be stored: %1").arg(why));
}

IngestError IngestError::stopping(QString message) { return make(IngestErrorKind::Stopping, std::move(message)); }

IngestError IngestError::internal()
{
    return make(IngestErrorKind::Internal, QStringLiteral("internal error while handling the request; see the log"));
}

IngestError IngestError::withDefaultRetryAfter(int seconds) const
{
    IngestError error = *this;
    if (error.retryAfterSeconds <= 0)
        error.retryAfterSeconds = seconds;
    return error;
}

int httpStatus(IngestErrorKind kind)
{
    switch (kind) {
    case IngestErrorKind::NoSuchEndpoint:
        return 404;
    case IngestErrorKind::MethodNotAllowed:
        return 405;
    case IngestErrorKind::MissingKey:
        return 401;
    case IngestErrorKind::WrongKey:
        return 403;
    case IngestErrorKind::TooLarge:
        return 413;
    case IngestErrorKind::Unsupported:
        return 415;
    case IngestErrorKind::Malformed:
    case IngestErrorKind::InvalidEvent:
        return 400;
    case IngestErrorKind::TooSlow:
        return 408;
    case IngestErrorKind::RateLimited:
    case IngestErrorKind::AttachmentQuota:
    case IngestErrorKind::QueueFull:
        return 429;
    case IngestErrorKind::DiskFull:
        return 507;
    case IngestErrorKind::StoreFailed:
    case IngestErrorKind::Stopping:
        return 503;
    case IngestErrorKind::Internal:
        break;
    }
    return 500;
}

HttpResponse httpAnswer(const IngestError &error)
{
    HttpResponse response = errorResponse(httpStatus(error.kind), error.message, error.details);
    const QByteArray retryAfter = QByteArray::number(error.retryAfterSeconds);
    switch (error.kind) {
    case IngestErrorKind::MethodNotAllowed:
        response.withHeader("Allow", error.allow);
        break;
    case IngestErrorKind::RateLimited:
        response.withHeader("Retry-After", retryAfter)
            .withHeader("X-Sentry-Rate-Limits", rateLimits(error.retryAfterSeconds, "error;default", "project"));
        break;
    case IngestErrorKind::AttachmentQuota:
        response.withHeader("Retry-After", retryAfter)
            .withHeader("X-Sentry-Rate-Limits", rateLimits(error.retryAfterSeconds, "attachment", "project"));
        break;
    case IngestErrorKind::QueueFull:
    case IngestErrorKind::Stopping:
        // The collector as a whole is saturated or going away: every category, every project.
        response.withHeader("Retry-After", retryAfter)
            .withHeader("X-Sentry-Rate-Limits", rateLimits(error.retryAfterSeconds, {}, "organization"));
        break;
    case IngestErrorKind::DiskFull:
    case IngestErrorKind::StoreFailed:
        response.withHeader("Retry-After", retryAfter);
        break;
    default:
        break;
    }
    return response;
}

QString dropReason(IngestErrorKind kind)
{
    switch (kind) {
    case IngestErrorKind::NoSuchEndpoint:
    case IngestErrorKind::MethodNotAllowed:
        return QStringLiteral("not_found");
    case IngestErrorKind::MissingKey:
    case IngestErrorKind::WrongKey:
        return QStringLiteral("wrong_key");
    case IngestErrorKind::TooLarge:
        return QStringLiteral("too_large");
    case IngestErrorKind::Unsupported:
    case IngestErrorKind::Malformed:
        return QStringLiteral("unparseable");
    case IngestErrorKind::InvalidEvent:
        return QStringLiteral("invalid");
    case IngestErrorKind::TooSlow:
        return QStringLiteral("too_slow");
    case IngestErrorKind::RateLimited:
        return QStringLiteral("rate_limited");
    case IngestErrorKind::AttachmentQuota:
        return QStringLiteral("attachment_quota");
    case IngestErrorKind::QueueFull:
        return QStringLiteral("queue_full");
    case IngestErrorKind::DiskFull:
        return QStringLiteral("disk_full");
    case IngestErrorKind::StoreFailed:
    case IngestErrorKind::Stopping:
    case IngestErrorKind::Internal:
        break;
    }
    return QStringLiteral("not_stored");
}

QList<IngestErrorKind> allIngestErrorKinds()
{
    QList<IngestErrorKind> kinds;
    for (int kind = int(IngestErrorKind::NoSuchEndpoint); kind <= int(IngestErrorKind::Internal); ++kind)
        kinds.append(IngestErrorKind(kind));
    return kinds;
}

} // namespace faultline
