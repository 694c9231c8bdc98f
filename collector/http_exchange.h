#pragma once
// Where a request's answer meets its libmicrohttpd connection, and the set of
// requests whose answer is not sent yet. The HTTP layer's internals: a
// handler may answer from any thread, later, after the connection is gone.
#include "collector/http_types.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

struct MHD_Connection;

namespace faultline {

// Shared by MHD's thread and the Responder, which may outlive the connection
// (the client left, or the server stopped) and must then do nothing.
struct Exchange {
    std::mutex mutex;
    MHD_Connection *connection = nullptr;
    const HttpRequest *request = nullptr; // valid until `closed`
    std::optional<HttpResponse> response; // until MHD queued it
    bool answered = false; // the Responder was called
    bool suspended = false; // waiting for the Responder
    bool closed = false; // MHD is done with `connection`
};

// The first answer wins; it wakes the connection if it was suspended.
void deliver(Exchange &exchange, HttpResponse response);

// Requests handed to the handler whose answer is not sent yet, for a graceful stop.
class InFlightRequests {
public:
    void add(const std::shared_ptr<Exchange> &exchange);
    void remove(const std::shared_ptr<Exchange> &exchange); // sent, or the connection closed
    bool waitUntilEmpty(std::chrono::milliseconds timeout);
    // Answers every request still waiting with what `answerFor` builds; returns how many.
    int answerAll(const std::function<HttpResponse(const HttpRequest &)> &answerFor);

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::set<std::shared_ptr<Exchange>> m_exchanges;
};

} // namespace faultline
