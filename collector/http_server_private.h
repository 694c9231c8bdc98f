#pragma once
// HttpServer's insides, shared by its two halves: http_server.cpp (starting,
// stopping, libmicrohttpd's connection and log callbacks) and
// http_request_flow.cpp (one request from its head to its answer).
#include "collector/connection_watchdog.h"
#include "collector/http_exchange.h"
#include "collector/http_server.h"
#include "collector/request_head_gate.h"

#include <microhttpd.h>

#include <atomic>
#include <chrono>
#include <cstdarg>
#include <memory>
#include <optional>

namespace faultline {

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

inline bool awaitsContinue(const HttpRequest &request)
{
    return request.header("Expect").trimmed().toLower() == "100-continue";
}

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
    std::unique_ptr<RequestHeadGate> gate;

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
    // Queues an answer unless the watchdog answered first (then the connection closes).
    MHD_Result answer(MHD_Connection *connection, const HttpResponse &response);
    QByteArray slowBodyAnswer(const HttpRequest &head, const SlowBody &body);
};

} // namespace faultline
