#include "collector/http_server_private.h"
#include "collector/http_wire.h"

#include <mutex>

namespace faultline {

MHD_Result HttpServer::Private::answer(MHD_Connection *connection, const HttpResponse &response)
{
    return watchdog->claimAnswer(connection) ? send(connection, response) : MHD_NO;
}

MHD_Result HttpServer::Private::begin(
    MHD_Connection *connection, const char *url, const char *method, const char *version, void **state)
{
    auto *requestState = new RequestState;
    *state = requestState;
    HttpRequest &request = requestState->request;
    request.method = method;
    request.path = QString::fromUtf8(url);
    request.peer = peerOf(connection);
    MHD_get_connection_values(connection, MHD_HEADER_KIND, collectHeader, &request);
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collectQueryArgument, &request.query);

    if (const std::optional<QString> problem = ambiguousFraming(request, version)) {
        requestState->answered = true;
        return answer(connection, closing(refusal(IngestError::malformed(*problem), request)));
    }
    const QByteArray contentLength = request.header("Content-Length");
    if (!contentLength.isEmpty()) {
        bool ok = false;
        requestState->declaredLength = contentLength.trimmed().toLongLong(&ok);
        if (!ok || requestState->declaredLength < 0) {
            requestState->answered = true;
            return answer(connection,
                closing(refusal(IngestError::malformed(QStringLiteral("invalid Content-Length header")), request)));
        }
    }
    // Refuse an oversized body before reading it; this also stops MHD from
    // sending "100 Continue" to a client that asked.
    if (requestState->declaredLength > options.maxBodyBytes) {
        return refuseBeforeBody(connection, requestState,
            IngestError::tooLarge(QStringLiteral("request body of %1 bytes exceeds the %2 byte limit")
                                      .arg(requestState->declaredLength)
                                      .arg(options.maxBodyBytes)));
    }
    // A wrong or missing key is known from the head: the body is never kept.
    if (headCheck) {
        if (std::optional<IngestError> refused = headCheck(request))
            return refuseBeforeBody(connection, requestState, *refused);
    }
    // Nothing queued, the body awaited: a body too slow may get the watchdog's 408
    // (see ConnectionWatchdog::answer for why that write never meets one of ours
    // or libmicrohttpd's). Until a client that asked for "100 Continue" sent body
    // bytes, libmicrohttpd may still be writing that 100: no answer then, a cut.
    watchdog->headReceived(connection, &request, awaitsContinue(request));
    return MHD_YES;
}

// A client that asked "Expect: 100-continue" gets the answer now and sends no
// body. One that sends its body regardless would see a reset instead of our
// answer if we closed while it still sends: its body is read and discarded
// first (bounded in bytes and time, like nginx's lingering close), then answered.
MHD_Result HttpServer::Private::refuseBeforeBody(
    MHD_Connection *connection, RequestState *state, const IngestError &error)
{
    if (awaitsContinue(state->request) || state->declaredLength > options.maxDiscardBytes) {
        state->answered = true;
        return answer(connection, closing(refusal(error, state->request)));
    }
    state->refusal = error;
    state->discardSince = std::chrono::steady_clock::now();
    watchdog->headReceived(connection, &state->request, false);
    return MHD_YES;
}

MHD_Result HttpServer::Private::discard(RequestState *state, size_t bytes)
{
    state->discarded += qint64(bytes);
    const auto spent = std::chrono::steady_clock::now() - state->discardSince;
    // Past the bound, give up on the client reading the answer: close.
    if (state->discarded > options.maxDiscardBytes || spent > std::chrono::seconds(options.discardSeconds))
        return MHD_NO;
    return MHD_YES;
}

MHD_Result HttpServer::Private::onRequest(void *cls, MHD_Connection *connection, const char *url, const char *method,
    const char *version, const char *uploadData, size_t *uploadDataSize, void **state)
{
    auto *self = static_cast<Private *>(cls);
    if (!*state)
        return self->begin(connection, url, method, version, state);

    auto *requestState = static_cast<RequestState *>(*state);
    if (*uploadDataSize > 0) {
        const size_t size = *uploadDataSize;
        *uploadDataSize = 0;
        self->watchdog->bodyReceived(connection, qint64(size));
        // Keep reading (and discarding) past the limit so the client gets our answer
        // instead of a reset connection, within the discard bounds.
        if (requestState->refusal || requestState->bodyTooLarge || requestState->overBudget)
            return self->discard(requestState, size);
        if (!requestState->answered) {
            if (requestState->request.body.size() + qint64(size) > self->options.maxBodyBytes) {
                requestState->bodyTooLarge = true;
                requestState->discardSince = std::chrono::steady_clock::now();
                self->releaseBudget(requestState);
            } else if (!self->takeBudget(requestState, qint64(size))) {
                requestState->overBudget = true;
                requestState->discardSince = std::chrono::steady_clock::now();
                self->releaseBudget(requestState);
            } else {
                requestState->request.body.append(uploadData, qsizetype(size));
            }
        }
        return MHD_YES;
    }
    // libmicrohttpd calls once more with the body complete: from here we answer,
    // unless the watchdog found the body too slow and answered first.
    if (!self->watchdog->claimAnswer(connection))
        return MHD_NO;
    if (requestState->exchange) {
        // Resumed: the answer arrived while the connection was suspended.
        std::optional<HttpResponse> response;
        {
            std::lock_guard lock(requestState->exchange->mutex);
            response.swap(requestState->exchange->response);
        }
        return response ? send(connection, *response) : MHD_NO;
    }
    if (requestState->answered)
        return MHD_YES;
    requestState->answered = true;
    if (requestState->refusal) {
        return send(connection, self->refusal(*requestState->refusal, requestState->request));
    }

    if (requestState->bodyTooLarge) {
        return send(connection,
            self->refusal(IngestError::tooLarge(
                              QStringLiteral("request body exceeds the %1 byte limit").arg(self->options.maxBodyBytes)),
                requestState->request));
    }
    if (requestState->overBudget) {
        return send(connection,
            self->refusal(IngestError::queueFull(QStringLiteral("the collector already holds %1 MiB of request bodies, "
                                                                "its limit; retry shortly")
                                                     .arg(self->options.maxBufferedBytes >> 20)),
                requestState->request));
    }
    return self->dispatch(connection, requestState);
}

MHD_Result HttpServer::Private::dispatch(MHD_Connection *connection, RequestState *state)
{
    auto exchange = std::make_shared<Exchange>();
    exchange->connection = connection;
    exchange->request = &state->request;
    state->exchange = exchange;
    inFlight.add(exchange);
    handler(state->request, [exchange](HttpResponse response) { deliver(*exchange, std::move(response)); });

    std::unique_lock lock(exchange->mutex);
    if (!exchange->answered) {
        // Answered later (after the commit); free this thread for other connections.
        exchange->suspended = true;
        MHD_suspend_connection(connection);
        return MHD_YES;
    }
    std::optional<HttpResponse> response;
    response.swap(exchange->response);
    lock.unlock();
    return send(connection, *response);
}

void HttpServer::Private::onCompleted(void *cls, MHD_Connection *connection, void **state, MHD_RequestTerminationCode)
{
    static_cast<Private *>(cls)->watchdog->requestDone(connection);
    auto *requestState = static_cast<RequestState *>(*state);
    *state = nullptr;
    if (!requestState)
        return;
    if (const std::shared_ptr<Exchange> &exchange = requestState->exchange) {
        // Sent, or the connection is gone (an answer that comes after finds nobody).
        std::lock_guard lock(exchange->mutex);
        exchange->closed = true;
    }
    auto *self = static_cast<Private *>(cls);
    self->releaseBudget(requestState);
    if (requestState->exchange)
        self->inFlight.remove(requestState->exchange);
    delete requestState;
}

bool HttpServer::Private::takeBudget(RequestState *state, qint64 bytes)
{
    if (buffered.fetch_add(bytes) + bytes > options.maxBufferedBytes) {
        buffered.fetch_sub(bytes);
        return false;
    }
    state->buffered += bytes;
    return true;
}

void HttpServer::Private::releaseBudget(RequestState *state)
{
    buffered.fetch_sub(state->buffered);
    state->buffered = 0;
    state->request.body = QByteArray();
}

} // namespace faultline
