#pragma once
// The collector's HTTP/1.1 layer, on libmicrohttpd. It owns what QHttpServer
// 6.4 cannot do (see README "Why libmicrohttpd"): a body limit enforced from
// the declared Content-Length before reading and while streaming, idle
// timeouts, a connection cap, Expect: 100-continue, chunked bodies, and 400s
// for garbage. A small pool of threads (epoll) serves every connection;
// a handler may answer later from another thread (see Responder): the
// connection is suspended meanwhile, so no thread waits for the disk.
#include "collector/collector_limits.h"
#include "collector/http_types.h"
#include "collector/ingest_error.h"
#include "model/collector_address.h"

#include <QHostAddress>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace faultline {

struct HttpServerOptions {
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = kDefaultCollectorPort; // 0 = pick a free port
    qint64 maxBodyBytes = CollectorLimits {}.maxBodyBytes; // as received (before decompression)
    int connectionTimeoutSeconds = 30; // idle / stalled-body connections are closed
    // Deadlines that count sent bytes, not idle time (see ConnectionWatchdog): a
    // request head must be complete within headTimeoutMs (from accept, or from the
    // previous answer on a kept-alive connection), and after bodyGraceMs a body must
    // have come at minBodyBytesPerSecond on average.
    int headTimeoutMs = 10'000;
    int bodyGraceMs = 5'000;
    qint64 minBodyBytesPerSecond = 1024;
    int maxConnections = 512;
    int maxConnectionsPerPeer = 256;
    // All request bodies held in memory at once (being received, or waiting for
    // their answer); past it a request is refused with 429 instead of buffered.
    qint64 maxBufferedBytes = 256 << 20;
    // A body refused before it is read is still read and thrown away (so the client
    // reads our answer, not a reset), up to this many bytes and seconds.
    qint64 maxDiscardBytes = 64 << 20;
    int discardSeconds = 10;
    int threads = 0; // 0 = one per core (at least 2)
    int stopGraceMs = 5000; // how long stop() waits for answers in flight
};

class HttpServer {
public:
    // Runs on a pool thread; must not block for long. `request` is valid until
    // it returns; `respond` may be called then or later, from any thread.
    using Handler = std::function<void(const HttpRequest &request, Responder respond)>;
    // Builds the answer for a request refused by the HTTP layer itself (a body too
    // large, the buffered-bodies budget spent, the server stopping).
    using RefusalFactory = std::function<HttpResponse(const IngestError &error, const HttpRequest &)>;
    // Told of each request libmicrohttpd answered itself, before the Handler got
    // it (a request head, or a chunked body, it cannot parse): it answers those
    // with its own HTML, and the peer is unknown. Called on a pool thread.
    using UnparseableReport = std::function<void(int status, const QString &reason)>;
    // Looks at a request's head before its body is read; an answer refuses the
    // request without keeping (or decoding) the body. Called on a pool thread.
    using HeadCheck = std::function<std::optional<IngestError>(const HttpRequest &request)>;

    HttpServer(
        HttpServerOptions options, Handler handler, RefusalFactory refusal, UnparseableReport onUnparseable = {});
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    void setHeadCheck(HeadCheck check); // before start()
    bool start(QString *error);
    // Stops accepting, gives answers in flight a few seconds, then closes.
    void stop();
    quint16 port() const; // the bound port, valid after start()
    const HttpServerOptions &options() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace faultline
