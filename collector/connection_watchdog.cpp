#include "collector/connection_watchdog.h"

#include <spdlog/spdlog.h>

#include <sys/socket.h>

namespace faultline {

using SteadyClock = std::chrono::steady_clock;

ConnectionWatchdog::ConnectionWatchdog(WatchdogOptions options)
    : m_options(options)
{
}

ConnectionWatchdog::~ConnectionWatchdog() { stop(); }

void ConnectionWatchdog::start()
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return;
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void ConnectionWatchdog::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void ConnectionWatchdog::opened(MHD_Connection *connection, int fd)
{
    std::lock_guard lock(m_mutex);
    m_connections[connection] = { fd, Phase::Head, SteadyClock::now(), 0, false };
    if (int(m_connections.size()) > m_options.evictAbove)
        evictSlowestHead(connection);
}

void ConnectionWatchdog::headReceived(MHD_Connection *connection)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_connections.find(connection); it != m_connections.end())
        it->second = { it->second.fd, Phase::Body, SteadyClock::now(), 0, it->second.cut };
}

void ConnectionWatchdog::bodyReceived(MHD_Connection *connection, qint64 bytes)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_connections.find(connection); it != m_connections.end())
        it->second.bodyBytes += bytes;
}

void ConnectionWatchdog::answering(MHD_Connection *connection)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_connections.find(connection); it != m_connections.end())
        it->second.phase = Phase::Answering;
}

void ConnectionWatchdog::requestDone(MHD_Connection *connection)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_connections.find(connection); it != m_connections.end())
        it->second = { it->second.fd, Phase::Head, SteadyClock::now(), 0, it->second.cut };
}

void ConnectionWatchdog::closed(MHD_Connection *connection)
{
    std::lock_guard lock(m_mutex);
    m_connections.erase(connection);
}

int ConnectionWatchdog::closedForDeadline() const
{
    std::lock_guard lock(m_mutex);
    return m_cut;
}

// Shutting the socket down (not closing it: the descriptor stays libmicrohttpd's)
// makes its next read fail, and it closes the connection as for any client that left.
void ConnectionWatchdog::cut(Timing &clock, const char *why)
{
    if (clock.cut)
        return;
    clock.cut = true;
    ++m_cut;
    ::shutdown(clock.fd, SHUT_RDWR);
    spdlog::debug("http: closed a connection: {}", why);
}

void ConnectionWatchdog::evictSlowestHead(MHD_Connection *except)
{
    Timing *oldest = nullptr;
    for (auto &[connection, clock] : m_connections) {
        if (connection == except || clock.cut || clock.phase != Phase::Head)
            continue;
        if (!oldest || clock.since < oldest->since)
            oldest = &clock;
    }
    if (oldest)
        cut(*oldest, "connections near their cap; this one waited longest for its request");
}

void ConnectionWatchdog::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, m_options.tick, [this] { return m_stopping; });
        const auto now = SteadyClock::now();
        for (auto &[connection, clock] : m_connections) {
            const auto elapsed = now - clock.since;
            if (clock.phase == Phase::Head && elapsed > m_options.headDeadline) {
                cut(clock, "request head not complete within the deadline");
            } else if (clock.phase == Phase::Body && elapsed > m_options.bodyGrace) {
                const double seconds = std::chrono::duration<double>(elapsed).count();
                if (double(clock.bodyBytes) / seconds < double(m_options.minBodyBytesPerSecond))
                    cut(clock, "request body slower than the minimum rate");
            }
        }
    }
}

} // namespace faultline
