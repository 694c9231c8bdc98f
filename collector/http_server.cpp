#include "collector/http_server.h"

#include "collector/http_exchange.h"

#include <microhttpd.h>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstring>
#include <mutex>
#include <thread>

namespace faultline {

namespace {

// Per-request state kept by MHD between the calls of one request.
struct RequestState {
    HttpRequest request;
    qint64 declaredLength = -1;
    qint64 buffered = 0;  // of the server's budget, held by `request.body`
    bool bodyTooLarge = false;
    bool overBudget = false;
    bool answered = false;  // a response was queued, or the handler has the request
    std::shared_ptr<Exchange> exchange;
};

MHD_Result collectHeader(void *cls, MHD_ValueKind, const char *key, const char *value)
{
    auto *request = static_cast<HttpRequest *>(cls);
    request->headers.append({QByteArray(key), QByteArray(value ? value : "")});
    return MHD_YES;
}

MHD_Result collectQueryArgument(void *cls, MHD_ValueKind, const char *key, const char *value)
{
    auto *query = static_cast<QUrlQuery *>(cls);
    query->addQueryItem(QString::fromUtf8(key), value ? QString::fromUtf8(value) : QString());
    return MHD_YES;
}

QString peerOf(MHD_Connection *connection)
{
    const auto *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return QStringLiteral("?");
    QHostAddress address(info->client_addr);
    quint16 port = 0;
    if (info->client_addr->sa_family == AF_INET)
        port = ntohs(reinterpret_cast<const sockaddr_in *>(info->client_addr)->sin_port);
    else if (info->client_addr->sa_family == AF_INET6)
        port = ntohs(reinterpret_cast<const sockaddr_in6 *>(info->client_addr)->sin6_port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

MHD_Result send(MHD_Connection *connection, const HttpResponse &response)
{
    MHD_Response *mhdResponse = MHD_create_response_from_buffer(
        size_t(response.body.size()), const_cast<char *>(response.body.constData()), MHD_RESPMEM_MUST_COPY);
    if (!mhdResponse)
        return MHD_NO;
    if (!response.contentType.isEmpty())
        MHD_add_response_header(mhdResponse, MHD_HTTP_HEADER_CONTENT_TYPE, response.contentType.constData());
    for (const auto &[name, value] : response.headers)
        MHD_add_response_header(mhdResponse, name.constData(), value.constData());
    const MHD_Result result = MHD_queue_response(connection, unsigned(response.status), mhdResponse);
    MHD_destroy_response(mhdResponse);
    return result;
}

// The text of the HTML page libmicrohttpd sends with an error, e.g. "Your HTTP
// request has wrong value for <b>Content-Length</b> header." without the tags.
QString pageText(QByteArrayView html)
{
    const qsizetype body = html.indexOf("<body>");
    if (body >= 0)
        html = html.sliced(body + 6);
    const qsizetype bodyEnd = html.indexOf("</body>");
    if (bodyEnd >= 0)
        html.truncate(bodyEnd);
    QString text;
    bool inTag = false;
    for (const char c : html) {
        if (c == '<' || c == '>')
            inTag = c == '<';
        else if (!inTag)
            text.append(QLatin1Char(c));
    }
    return text.simplified();
}

}  // namespace

struct HttpServer::Private {
    HttpServerOptions options;
    Handler handler;
    RefusalFactory refusal;
    UnparseableReport onUnparseable;
    MHD_Daemon *daemon = nullptr;
    quint16 boundPort = 0;

    std::atomic<qint64> buffered{0};  // request bytes held, against options.maxBufferedBytes
    bool takeBudget(RequestState *state, qint64 bytes);
    void releaseBudget(RequestState *state);

    InFlightRequests inFlight;

    static MHD_Result onRequest(void *cls, MHD_Connection *connection, const char *url, const char *method,
                                const char *, const char *uploadData, size_t *uploadDataSize, void **state);
    static void onCompleted(void *cls, MHD_Connection *, void **state, MHD_RequestTerminationCode);
    static void logFromMhd(void *cls, const char *format, va_list args);

    MHD_Result begin(MHD_Connection *connection, const char *url, const char *method, void **state);
    MHD_Result dispatch(MHD_Connection *connection, RequestState *state);
};

MHD_Result HttpServer::Private::begin(MHD_Connection *connection, const char *url, const char *method, void **state)
{
    auto *requestState = new RequestState;
    *state = requestState;
    HttpRequest &request = requestState->request;
    request.method = method;
    request.path = QString::fromUtf8(url);
    request.peer = peerOf(connection);
    MHD_get_connection_values(connection, MHD_HEADER_KIND, collectHeader, &request);
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collectQueryArgument, &request.query);

    const QByteArray contentLength = request.header("Content-Length");
    if (!contentLength.isEmpty()) {
        bool ok = false;
        requestState->declaredLength = contentLength.trimmed().toLongLong(&ok);
        if (!ok || requestState->declaredLength < 0) {
            requestState->answered = true;
            return send(connection, refusal(400, QStringLiteral("invalid Content-Length header"), request));
        }
    }
    // Refuse an oversized body before reading it; this also stops MHD from
    // sending "100 Continue" to a client that asked.
    if (requestState->declaredLength > options.maxBodyBytes) {
        requestState->answered = true;
        return send(connection, refusal(413,
                                        QStringLiteral("request body of %1 bytes exceeds the %2 byte limit")
                                            .arg(requestState->declaredLength)
                                            .arg(options.maxBodyBytes),
                                        request));
    }
    return MHD_YES;
}

MHD_Result HttpServer::Private::onRequest(void *cls, MHD_Connection *connection, const char *url,
                                          const char *method, const char *, const char *uploadData,
                                          size_t *uploadDataSize, void **state)
{
    auto *self = static_cast<Private *>(cls);
    if (!*state)
        return self->begin(connection, url, method, state);

    auto *requestState = static_cast<RequestState *>(*state);
    if (*uploadDataSize > 0) {
        // Keep reading (and discarding) past the limit so the client gets our answer
        // instead of a reset connection; the idle timeout bounds a client that never stops.
        if (!requestState->answered && !requestState->bodyTooLarge && !requestState->overBudget) {
            if (requestState->request.body.size() + qint64(*uploadDataSize) > self->options.maxBodyBytes) {
                requestState->bodyTooLarge = true;
                self->releaseBudget(requestState);
            } else if (!self->takeBudget(requestState, qint64(*uploadDataSize))) {
                requestState->overBudget = true;
                self->releaseBudget(requestState);
            } else {
                requestState->request.body.append(uploadData, qsizetype(*uploadDataSize));
            }
        }
        *uploadDataSize = 0;
        return MHD_YES;
    }
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

    if (requestState->bodyTooLarge) {
        return send(connection,
                    self->refusal(413,
                                  QStringLiteral("request body exceeds the %1 byte limit").arg(self->options.maxBodyBytes),
                                  requestState->request));
    }
    if (requestState->overBudget) {
        return send(connection,
                    self->refusal(429,
                                  QStringLiteral("the collector already holds %1 MiB of request bodies, its limit; "
                                                 "retry shortly")
                                      .arg(self->options.maxBufferedBytes >> 20),
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

void HttpServer::Private::onCompleted(void *cls, MHD_Connection *, void **state, MHD_RequestTerminationCode)
{
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

HttpServer::HttpServer(HttpServerOptions options, Handler handler, RefusalFactory refusal,
                       UnparseableReport onUnparseable)
    : d(std::make_unique<Private>())
{
    d->options = std::move(options);
    d->handler = std::move(handler);
    d->refusal = std::move(refusal);
    d->onUnparseable = std::move(onUnparseable);
}

HttpServer::~HttpServer() { stop(); }

bool HttpServer::start(QString *error)
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    // A few epoll threads, not a thread per connection: 64 keep-alive clients
    // then cost 64 sockets, not 64 stacks and their context switches.
    unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    const unsigned threads = d->options.threads > 0 ? unsigned(d->options.threads)
                                                    : std::max(2u, std::thread::hardware_concurrency());
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

    d->daemon = MHD_start_daemon(
        flags, d->options.port, nullptr, nullptr, &Private::onRequest, d.get(),
        // First, or MHD prints what it says about the options before it to stderr.
        MHD_OPTION_EXTERNAL_LOGGER, &Private::logFromMhd, d.get(),
        MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr *>(&storage),
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, unsigned(d->options.connectionTimeoutSeconds),
        MHD_OPTION_CONNECTION_LIMIT, unsigned(d->options.maxConnections),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, unsigned(d->options.maxConnectionsPerPeer),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, size_t(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, &Private::onCompleted, d.get(),
        MHD_OPTION_END);
    if (!d->daemon) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2 (%3)")
                         .arg(d->options.address.toString())
                         .arg(d->options.port)
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
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
    // Refuse new connections, then let answers in flight (events being
    // committed) reach their clients before the connections close.
    const MHD_socket listening = MHD_quiesce_daemon(d->daemon);
    if (!d->inFlight.waitUntilEmpty(std::chrono::milliseconds(d->options.stopGraceMs))) {
        // libmicrohttpd aborts the process when stopped with a suspended
        // connection: answer whatever still waits, and let those answers go out.
        const int answered = d->inFlight.answerAll([this](const HttpRequest &request) {
            return d->refusal(503, QStringLiteral("the collector stopped before this request's events were committed; retry"),
                              request);
        });
        spdlog::warn("http: stopping: {} request(s) were still waiting for the writer; answered 503", answered);
        if (!d->inFlight.waitUntilEmpty(std::chrono::seconds(d->options.connectionTimeoutSeconds + 1)))
            spdlog::error("http: requests still in flight after the grace period");
    }
    MHD_stop_daemon(d->daemon);
    d->daemon = nullptr;
    if (listening != MHD_INVALID_SOCKET)
        ::close(listening);
}

quint16 HttpServer::port() const { return d->boundPort; }
const HttpServerOptions &HttpServer::options() const { return d->options; }

}  // namespace faultline
