#include "collector/http_exchange.h"

#include <microhttpd.h>

namespace faultline {

void deliver(Exchange &exchange, HttpResponse response)
{
    std::lock_guard lock(exchange.mutex);
    if (exchange.closed || exchange.answered)
        return;
    exchange.answered = true;
    exchange.response = std::move(response);
    if (exchange.suspended) {
        exchange.suspended = false;
        MHD_resume_connection(exchange.connection);
    }
}

void InFlightRequests::add(const std::shared_ptr<Exchange> &exchange)
{
    std::lock_guard lock(m_mutex);
    m_exchanges.insert(exchange);
}

void InFlightRequests::remove(const std::shared_ptr<Exchange> &exchange)
{
    {
        std::lock_guard lock(m_mutex);
        m_exchanges.erase(exchange);
    }
    m_changed.notify_all();
}

bool InFlightRequests::waitUntilEmpty(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return m_exchanges.empty(); });
}

int InFlightRequests::answerAll(const std::function<HttpResponse(const HttpRequest &)> &answerFor)
{
    std::set<std::shared_ptr<Exchange>> pending;
    {
        std::lock_guard lock(m_mutex);
        pending = m_exchanges;
    }
    int answered = 0;
    for (const std::shared_ptr<Exchange> &exchange : pending) {
        HttpResponse response;
        {
            std::lock_guard lock(exchange->mutex);
            if (exchange->closed || exchange->answered)
                continue;
            response = answerFor(*exchange->request);
        }
        deliver(*exchange, std::move(response));
        ++answered;
    }
    return answered;
}

} // namespace faultline
