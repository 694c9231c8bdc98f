#include "collector/connection_watchdog.h"

#include <spdlog/spdlog.h>

#include <sys/socket.h>

namespace faultline {

using SteadyClock = std::chrono::steady_clock;

ConnectionWatchdog::ConnectionWatchdog(WatchdogOptions options, SlowBodyAnswer slowBodyAnswer)
    : m_options(options)
    , m_slowBodyAnswer(std::move(slowBodyAnswer))
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

void ConnectionWatchdog::opened(ConnectionKey connection, int fd)
{
    std::lock_guard lock(m_mutex);
    Timing clock;
    clock.fd = fd;
    clock.serial = ++m_serials;
    clock.since = SteadyClock::now();
    m_connections[connection] = clock;
    if (int(m_connections.size()) > m_options.evictAbove)
        evictSlowestHead(connection);
}

void ConnectionWatchdog::headReceived(ConnectionKey connection, const HttpRequest *head, bool onlyAfterBodyBytes)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_connections.find(connection); it != m_connections.end()) {
        Timing &clock = it->second;
        clock.restart(Phase::Body);
        clock.head = head;
        clock.onlyAfterBodyBytes = onlyAfterBodyBytes;
        clock.servedBy = std::this_thread::get_id();
    }
}

void ConnectionWatchdog::bodyReceived(ConnectionKey connection, qint64 bytes)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_connections.find(connection); it != m_connections.end())
        it->second.bodyBytes += bytes;
}

bool ConnectionWatchdog::claimAnswer(ConnectionKey connection)
{
    std::lock_guard lock(m_mutex);
    auto it = m_connections.find(connection);
    if (it == m_connections.end())
        return true;
    if (it->second.watchdogAnswers)
        return false;
    it->second.phase = Phase::Answering;
    it->second.head = nullptr;
    return true;
}

void ConnectionWatchdog::requestDone(ConnectionKey connection)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_connections.find(connection); it != m_connections.end())
        it->second.restart(Phase::Head);
}

void ConnectionWatchdog::closed(ConnectionKey connection)
{
    std::lock_guard lock(m_mutex);
    m_connections.erase(connection);
}

void ConnectionWatchdog::libraryAnswersOnThisThread()
{
    const std::thread::id self = std::this_thread::get_id();
    std::lock_guard lock(m_mutex);
    for (auto &[connection, clock] : m_connections) {
        if (clock.servedBy == self && (clock.phase == Phase::Body || clock.watchdogAnswers))
            clock.head = nullptr;
    }
}

int ConnectionWatchdog::closedForDeadline() const
{
    std::lock_guard lock(m_mutex);
    return m_cut;
}

int ConnectionWatchdog::answeredTooSlow() const
{
    std::lock_guard lock(m_mutex);
    return m_answered;
}

int ConnectionWatchdog::liveConnections() const
{
    std::lock_guard lock(m_mutex);
    int live = 0;
    for (const auto &[connection, clock] : m_connections)
        live += clock.cut ? 0 : 1;
    return live;
}

// Shutting the socket down (not closing it: the descriptor stays its owner's)
// makes its next read fail, and the owner closes the connection as for any
// client that left.
void ConnectionWatchdog::cut(Timing &clock, const char *why)
{
    if (clock.cut)
        return;
    clock.cut = true;
    ++m_cut;
    ::shutdown(clock.fd, SHUT_RDWR);
    spdlog::debug("http: closed a connection: {}", why);
}

void ConnectionWatchdog::evictSlowestHead(ConnectionKey except)
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

bool ConnectionWatchdog::answerable(const Timing &clock)
{
    return clock.head && (!clock.onlyAfterBodyBytes || clock.bodyBytes > 0);
}

void ConnectionWatchdog::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, m_options.tick, [this] { return m_stopping; });
        const auto now = SteadyClock::now();
        std::vector<DueAnswer> due;
        for (auto &[connection, clock] : m_connections) {
            const auto elapsed = now - clock.since;
            if (clock.cut || clock.watchdogAnswers) {
                continue;
            } else if (clock.phase == Phase::Head && elapsed > m_options.headDeadline) {
                cut(clock, "request head not complete within the deadline");
            } else if (clock.phase == Phase::Body && elapsed > m_options.bodyGrace) {
                const double seconds = std::chrono::duration<double>(elapsed).count();
                if (double(clock.bodyBytes) / seconds >= double(m_options.minBodyBytesPerSecond))
                    continue;
                if (!m_slowBodyAnswer || !answerable(clock)) {
                    cut(clock, "request body slower than the minimum rate");
                    continue;
                }
                // Claimed: from here its owner writes nothing (claimAnswer says no). The
                // head is copied now, the body left alone: its owner may be appending to it.
                clock.watchdogAnswers = true;
                HttpRequest head;
                head.method = clock.head->method;
                head.path = clock.head->path;
                head.query = clock.head->query;
                head.headers = clock.head->headers;
                head.peer = clock.head->peer;
                due.push_back({ connection, clock.serial, std::move(head),
                    { clock.bodyBytes, std::chrono::duration_cast<std::chrono::milliseconds>(elapsed) } });
            }
        }
        if (due.empty())
            continue;
        // Built unlocked: counting and logging the refusal may look a project up in
        // the database, and the HTTP threads must not wait for that.
        lock.unlock();
        std::vector<QByteArray> answers;
        answers.reserve(due.size());
        for (const DueAnswer &slow : due)
            answers.push_back(m_slowBodyAnswer(slow.head, slow.body));
        lock.lock();
        for (size_t i = 0; i < due.size(); ++i)
            answer(due[i], answers[i]);
    }
}

// Written with the lock held, so that libraryAnswersOnThisThread() (libmicrohttpd
// about to queue an answer of its own) either came before, and nothing is written,
// or waits until this answer is out and the socket shut down, so the library's
// later write fails. A connection closed meanwhile (gone, or its key and
// descriptor reused by another: the serial differs) is left alone.
void ConnectionWatchdog::answer(const DueAnswer &due, const QByteArray &bytes)
{
    const auto it = m_connections.find(due.connection);
    if (it == m_connections.end() || it->second.serial != due.serial || it->second.cut)
        return;
    Timing &clock = it->second;
    if (clock.watchdogAnswers && clock.head) {
        // Small, into an idle socket's empty send buffer: one non-blocking write.
        if (::send(clock.fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
            ++m_answered;
    }
    cut(clock, "request body slower than the minimum rate");
}

} // namespace faultline
