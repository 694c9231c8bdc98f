#include "collector/http_server.h"

#include "collector/http_server_private.h"
#include "collector/http_wire.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <thread>

namespace faultline {

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
    if (std::strncmp(message, kRefused, sizeof kRefused - 1) != 0)
        return;
    // Logged on the connection's thread before libmicrohttpd queues that answer.
    self->watchdog->libraryAnswersOnThisThread();
    if (!self->onUnparseable)
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

namespace {

// The cap is the accept loop's (maxConnections live, counted by the watchdog).
// libmicrohttpd's own must never be reached by a connection handed over: 0.9.75's
// new_connection_process_() returns at its per-worker limit with the worker's
// cleanup mutex still locked (fixed upstream in 67061d5c, 2023), and the worker
// then deadlocks at its next cleanup or at stop. MHD_add_connection() checks the
// limit without a lock and the pool splits it per worker, so it is set far above:
// every worker may hold twice the whole cap.
unsigned mhdConnectionLimit(int maxConnections, unsigned threads) { return unsigned(maxConnections) * 2 * threads; }

} // namespace

QByteArray HttpServer::Private::slowBodyAnswer(const HttpRequest &head, const SlowBody &body)
{
    const IngestError error = IngestError::tooSlow(
        QStringLiteral("request body too slow: %1 bytes in %2 s, below the minimum of %3 bytes per second")
            .arg(body.bytes)
            .arg(double(body.elapsed.count()) / 1000.0, 0, 'f', 1)
            .arg(options.minBodyBytesPerSecond));
    return wireBytes(closing(refusal(error, head)));
}

bool HttpServer::start(QString *error)
{
    WatchdogOptions watchdog;
    watchdog.headDeadline = std::chrono::milliseconds(d->options.headTimeoutMs);
    watchdog.bodyGrace = std::chrono::milliseconds(d->options.bodyGraceMs);
    watchdog.minBodyBytesPerSecond = d->options.minBodyBytesPerSecond;
    // A quarter of the connections stays for requests that complete: past three
    // quarters, each new connection evicts the one that waited longest for its head.
    watchdog.evictAbove = std::min(d->options.maxConnections, d->options.maxConnectionsPerPeer) * 3 / 4;
    d->watchdog = std::make_unique<ConnectionWatchdog>(
        watchdog, [this](const HttpRequest &head, const SlowBody &body) { return d->slowBodyAnswer(head, body); });

    // Our accept loop reads each request head before libmicrohttpd does (see
    // RequestHeadGate): libmicrohttpd gets the sockets it lets through.
    HeadGateOptions gate;
    gate.address = d->options.address;
    gate.port = d->options.port;
    gate.limits.maxBodyBytes = d->options.maxBodyBytes;
    gate.maxConnections = d->options.maxConnections;
    gate.maxConnectionsPerPeer = d->options.maxConnectionsPerPeer;
    gate.maxDiscardBytes = d->options.maxDiscardBytes;
    gate.discardTime = std::chrono::seconds(d->options.discardSeconds);
    gate.idleTimeout = std::chrono::seconds(d->options.connectionTimeoutSeconds);
    d->gate = std::make_unique<RequestHeadGate>(
        gate, *d->watchdog,
        [this](int fd, const sockaddr *address, socklen_t length) {
            // It closes the socket itself when it cannot take it (its caps).
            if (MHD_add_connection(d->daemon, fd, address, length) != MHD_YES)
                spdlog::debug("http: libmicrohttpd did not take a connection: {}", std::strerror(errno));
        },
        [this](const IngestError &refused, const HttpRequest &head) {
            return wireBytes(closing(d->refusal(refused, head)));
        });
    if (!d->gate->listen(error))
        return false;

    // A few epoll threads, not a thread per connection: 64 keep-alive clients
    // then cost 64 sockets, not 64 stacks and their context switches. No listening
    // socket of its own; the inter-thread channel wakes a worker for each
    // connection handed over (MHD_add_connection queues it for that worker).
    const unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG
        | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
    const unsigned threads
        = d->options.threads > 0 ? unsigned(d->options.threads) : std::max(2u, std::thread::hardware_concurrency());
    d->watchdog->start();
    d->daemon = MHD_start_daemon(flags, 0, nullptr, nullptr, &Private::onRequest, d.get(),
        // First, or MHD prints what it says about the options before it to stderr.
        MHD_OPTION_EXTERNAL_LOGGER, &Private::logFromMhd, d.get(), MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, unsigned(d->options.connectionTimeoutSeconds), MHD_OPTION_CONNECTION_LIMIT,
        mhdConnectionLimit(d->options.maxConnections, threads), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        unsigned(d->options.maxConnectionsPerPeer), MHD_OPTION_CONNECTION_MEMORY_LIMIT, size_t(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, &Private::onCompleted, d.get(), MHD_OPTION_NOTIFY_CONNECTION,
        &Private::onConnection, d.get(), MHD_OPTION_END);
    if (!d->daemon) {
        if (error)
            *error = QStringLiteral("cannot start the HTTP server on %1:%2 (%3)")
                         .arg(d->options.address.toString())
                         .arg(d->options.port)
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
        d->gate.reset();
        d->watchdog->stop();
        return false;
    }
    d->boundPort = d->gate->port();
    d->gate->start();
    return true;
}

void HttpServer::stop()
{
    if (!d || !d->daemon)
        return;
    // Refuse new connections at once (closed, a client is refused instead of
    // waiting in the backlog), then let answers in flight (events being
    // committed) reach their clients before the connections close.
    d->gate->stop();
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
