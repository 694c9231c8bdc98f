#include "collector/http_server.h"

#include "collector/connection_watchdog.h"
#include "collector/http_exchange.h"
#include "collector/http_wire.h"

#include <microhttpd.h>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

namespace faultline {

namespace {

// Per-request state kept by MHD between the calls of one request.
struct RequestState {
    HttpRequest request;
    qint64 declaredLength = -1;
    qint64 buffered = 0; // of the server's budget, held by `request.body`
    bool bodyTooLarge = false;
    bool overBudget = false;
    bool answered = false; // a response was queued, or the handler has the request
    // Decided before the body (a wrong key, a declared size over the limit): sent
    // once the body has been read and discarded, so the client reads it. Counted
    // and logged only when sent.
    std::optional<IngestError> refusal;
    qint64 discarded = 0;
    std::chrono::steady_clock::time_point discardSince {};
    std::shared_ptr<Exchange> exchange;
};

} // namespace

struct HttpServer::Private {
    HttpServerOptions options;
    Handler handler;
    RefusalFactory refusal;
    UnparseableReport onUnparseable;
    HeadCheck headCheck;
    MHD_Daemon *daemon = nullptr;
    quint16 boundPort = 0;

    std::atomic<qint64> buffered { 0 }; // request bytes held, against options.maxBufferedBytes
    bool takeBudget(RequestState *state, qint64 bytes);
    void releaseBudget(RequestState *state);

    InFlightRequests inFlight;
    std::unique_ptr<ConnectionWatchdog> watchdog;

    static MHD_Result onRequest(void *cls, MHD_Connection *connection, const char *url, const char *method,
        const char *, const char *uploadData, size_t *uploadDataSize, void **state);
    static void onCompleted(void *cls, MHD_Connection *connection, void **state, MHD_RequestTerminationCode);
    static void onConnection(void *cls, MHD_Connection *connection, void **, MHD_ConnectionNotificationCode code);
    static void logFromMhd(void *cls, const char *format, va_list args);

    MHD_Result begin(
        MHD_Connection *connection, const char *url, const char *method, const char *version, void **state);
    MHD_Result refuseBeforeBody(MHD_Connection *connection, RequestState *state, const IngestError &error);
    MHD_Result discard(RequestState *state, size_t bytes);
    MHD_Result dispatch(MHD_Connection *connection, RequestState *state);
};

MHD_Result HttpServer::Private::begin(
    MHD_Connection *connection, const char *url, const char *method, const char *version, void **state)
{
    watchdog->headReceived(connection);
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
        return send(connection, closing(refusal(IngestError::malformed(*problem), request)));
    }
    const QByteArray contentLength = request.header("Content-Length");
    if (!contentLength.isEmpty()) {
        bool ok = false;
        requestState->declaredLength = contentLength.trimmed().toLongLong(&ok);
        if (!ok || requestState->declaredLength < 0) {
            requestState->answered = true;
            return send(connection,
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
    return MHD_YES;
}

// A client that asked "Expect: 100-continue" gets the answer now and sends no
// body. One that sends its body regardless would see a reset instead of our
// answer if we closed while it still sends: its body is read and discarded
// first (bounded in bytes and time, like nginx's lingering close), then answered.
MHD_Result HttpServer::Private::refuseBeforeBody(
    MHD_Connection *connection, RequestState *state, const IngestError &error)
{
    const bool awaitsContinue = state->request.header("Expect").trimmed().toLower() == "100-continue";
    if (awaitsContinue || state->declaredLength > options.maxDiscardBytes) {
        state->answered = true;
        return send(connection, closing(refusal(error, state->request)));
    }
    state->refusal = error;
    state->discardSince = std::chrono::steady_clock::now();
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
    self->watchdog->answering(connection);
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

void HttpServer::Private::onConnection(
    void *cls, MHD_Connection *connection, void **, MHD_ConnectionNotificationCode code)
{
    ConnectionWatchdog &watchdog = *static_cast<Private *>(cls)->watchdog;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        watchdog.closed(connection);
        return;
    }
    const auto *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info)
        watchdog.opened(connection, info->connect_fd);
}

void HttpServer::Private::logFromMhd(void *cls, const char *format, va_list args)
{
    char message[512];
    std::vsnprintf(message, sizeof message, format, args);
    const size_t len = std::strlen(message);
    if (len && message[len - 1] == '\n')
        message[len - 1] = '\0';
    spdlog::debug("http: {}", message);

    // libmicrohttpd 0.9.75 has no hook for the requests it refuses itself; this
    // line, logged as it answers one, is the only trace of them.
    static constexpr char kRefused[] = "Error processing request (HTTP response code is ";
    auto *self = static_cast<Private *>(cls);
    if (!self->onUnparseable || std::strncmp(message, kRefused, sizeof kRefused - 1) != 0)
        return;
    const char *rest = message + sizeof kRefused - 1;
    char *end = nullptr;
    const long status = std::strtol(rest, &end, 10);
    if (end == rest || status < 400 || status > 599)
        return;
    // The page follows in ('…')), and is HTML unless MHD was built without its messages.
    QByteArrayView page(end);
    if (const qsizetype open = page.indexOf("('"); open >= 0)
        page = page.sliced(open + 2);
    if (const qsizetype close = page.lastIndexOf("'))"); close >= 0)
        page.truncate(close);
    self->onUnparseable(int(status), pageText(page));
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

HttpServer::HttpServer(
    HttpServerOptions options, Handler handler, RefusalFactory refusal, UnparseableReport onUnparseable)
    : d(std::make_unique<Private>())
{
    d->options = std::move(options);
    d->handler = std::move(handler);
    d->refusal = std::move(refusal);
    d->onUnparseable = std::move(onUnparseable);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::setHeadCheck(HeadCheck check) { d->headCheck = std::move(check); }

bool HttpServer::start(QString *error)
{
    sockaddr_storage storage {};
    socklen_t length = 0;
    // A few epoll threads, not a thread per connection: 64 keep-alive clients
    // then cost 64 sockets, not 64 stacks and their context switches.
    unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    const unsigned threads
        = d->options.threads > 0 ? unsigned(d->options.threads) : std::max(2u, std::thread::hardware_concurrency());
    const QByteArray host = d->options.address.toString().toLatin1();
    if (d->options.address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *address = reinterpret_cast<sockaddr_in6 *>(&storage);
        address->sin6_family = AF_INET6;
        address->sin6_port = htons(d->options.port);
        inet_pton(AF_INET6, host.constData(), &address->sin6_addr);
        length = sizeof(sockaddr_in6);
        flags |= MHD_USE_IPv6;
    } else {
        auto *address = reinterpret_cast<sockaddr_in *>(&storage);
        address->sin_family = AF_INET;
        address->sin_port = htons(d->options.port);
        inet_pton(AF_INET, host.constData(), &address->sin_addr);
        length = sizeof(sockaddr_in);
    }
    Q_UNUSED(length);

    WatchdogOptions watchdog;
    watchdog.headDeadline = std::chrono::milliseconds(d->options.headTimeoutMs);
    watchdog.bodyGrace = std::chrono::milliseconds(d->options.bodyGraceMs);
    watchdog.minBodyBytesPerSecond = d->options.minBodyBytesPerSecond;
    // A quarter of the connections stays for requests that complete: past three
    // quarters, each new connection evicts the one that waited longest for its head.
    watchdog.evictAbove = std::min(d->options.maxConnections, d->options.maxConnectionsPerPeer) * 3 / 4;
    d->watchdog = std::make_unique<ConnectionWatchdog>(watchdog);
    d->watchdog->start();

    d->daemon = MHD_start_daemon(flags, d->options.port, nullptr, nullptr, &Private::onRequest, d.get(),
        // First, or MHD prints what it says about the options before it to stderr.
        MHD_OPTION_EXTERNAL_LOGGER, &Private::logFromMhd, d.get(), MHD_OPTION_SOCK_ADDR,
        reinterpret_cast<sockaddr *>(&storage), MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        unsigned(d->options.connectionTimeoutSeconds), MHD_OPTION_CONNECTION_LIMIT, unsigned(d->options.maxConnections),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, unsigned(d->options.maxConnectionsPerPeer),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, size_t(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, &Private::onCompleted,
        d.get(), MHD_OPTION_NOTIFY_CONNECTION, &Private::onConnection, d.get(), MHD_OPTION_END);
    if (!d->daemon) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2 (%3)")
                         .arg(d->options.address.toString())
                         .arg(d->options.port)
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
        d->watchdog->stop();
        return false;
    }
    const auto *info = MHD_get_daemon_info(d->daemon, MHD_DAEMON_INFO_BIND_PORT);
    d->boundPort = info ? info->port : d->options.port;
    return true;
}

void HttpServer::stop()
{
    if (!d || !d->daemon)
        return;
    // Refuse new connections at once (closed, a client is refused instead of
    // waiting in the backlog), then let answers in flight (events being
    // committed) reach their clients before the connections close.
    const MHD_socket listening = MHD_quiesce_daemon(d->daemon);
    if (listening != MHD_INVALID_SOCKET)
        ::close(listening);
    if (!d->inFlight.waitUntilEmpty(std::chrono::milliseconds(d->options.stopGraceMs))) {
        // libmicrohttpd aborts the process when stopped with a suspended
        // connection: answer whatever still waits, and let those answers go out.
        const int answered = d->inFlight.answerAll([this](const HttpRequest &request) {
            return d->refusal(IngestError::stopping(QStringLiteral(
                                  "the collector stopped before this request's events were committed; retry")),
                request);
        });
        spdlog::warn("http: stopping: {} request(s) were still waiting for the writer; answered 503", answered);
        if (!d->inFlight.waitUntilEmpty(std::chrono::seconds(d->options.connectionTimeoutSeconds + 1)))
            spdlog::error("http: requests still in flight after the grace period");
    }
    MHD_stop_daemon(d->daemon);
    d->daemon = nullptr;
    d->watchdog->stop();
}

quint16 HttpServer::port() const { return d->boundPort; }
const HttpServerOptions &HttpServer::options() const { return d->options; }

} // namespace faultline
