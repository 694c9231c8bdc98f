#include "collector/request_head_gate.h"

#include "collector/connection_watchdog.h"
#include "collector/http_wire.h"

#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace faultline {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct RequestHeadGate::Held {
    int fd = -1;
    sockaddr_storage address {};
    socklen_t length = 0;
    QString peerAddress; // the per-peer budget's key
    HttpRequest head; // once complete and the body is awaited (the watchdog may read it)
    bool bodyAwaited = false;
    int peeks = 0;
    SteadyClock::time_point notBefore {};
    qsizetype peeked = 0; // bytes seen so far
    SteadyClock::time_point lastProgress {}; // when they last grew

    bool draining = false; // answered; the rest of the request is read and dropped
    SteadyClock::time_point drainingSince {};
    qint64 drained = 0;
};

RequestHeadGate::RequestHeadGate(
    HeadGateOptions options, ConnectionWatchdog &watchdog, HandOver handOver, Refuse refuse)
    : m_options(std::move(options))
    , m_watchdog(watchdog)
    , m_handOver(std::move(handOver))
    , m_refuse(std::move(refuse))
    , m_buffer(size_t(m_options.limits.maxHeadBytes))
{
}

RequestHeadGate::~RequestHeadGate()
{
    stop();
    if (m_listenFd >= 0)
        ::close(m_listenFd);
}

bool RequestHeadGate::listen(QString *error)
{
    const bool v6 = m_options.address.protocol() == QAbstractSocket::IPv6Protocol;
    sockaddr_storage storage {};
    socklen_t length = 0;
    const QByteArray host = m_options.address.toString().toLatin1();
    if (v6) {
        auto *address = reinterpret_cast<sockaddr_in6 *>(&storage);
        address->sin6_family = AF_INET6;
        address->sin6_port = htons(m_options.port);
        inet_pton(AF_INET6, host.constData(), &address->sin6_addr);
        length = sizeof(sockaddr_in6);
    } else {
        auto *address = reinterpret_cast<sockaddr_in *>(&storage);
        address->sin_family = AF_INET;
        address->sin_port = htons(m_options.port);
        inet_pton(AF_INET, host.constData(), &address->sin_addr);
        length = sizeof(sockaddr_in);
    }
    // As libmicrohttpd set its own up: address reuse, an IPv6 socket for IPv6 only.
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int on = 1;
    const bool ok = fd >= 0 && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0
        && (!v6 || ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) == 0)
        && ::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) == 0 && ::listen(fd, SOMAXCONN) == 0;
    if (!ok) {
        const int problem = errno;
        if (fd >= 0)
            ::close(fd);
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2 (%3)")
                         .arg(m_options.address.toString())
                         .arg(m_options.port)
                         .arg(QString::fromLocal8Bit(std::strerror(problem)));
        return false;
    }
    socklen_t boundLength = length;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &boundLength);
    m_port = ntohs(v6 ? reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port
                      : reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
    m_listenFd = fd;
    return true;
}

void RequestHeadGate::start()
{
    if (m_thread.joinable() || m_listenFd < 0)
        return;
    m_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void RequestHeadGate::stop()
{
    if (!m_thread.joinable())
        return;
    m_stopping = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(m_wakeFd, &one, sizeof one);
    m_thread.join();
    ::close(m_listenFd);
    m_listenFd = -1;
    ::close(m_wakeFd);
    m_wakeFd = -1;
    while (!m_held.empty())
        release(*m_held.begin()->second, true);
}

void RequestHeadGate::run()
{
    std::vector<pollfd> polled;
    std::vector<Held *> owners;
    while (!m_stopping) {
        const auto now = SteadyClock::now();
        polled.clear();
        owners.clear();
        polled.push_back({ m_wakeFd, POLLIN, 0 });
        // A negative descriptor is skipped by poll(): accepting pauses after EMFILE.
        polled.push_back({ now >= m_acceptPausedUntil ? m_listenFd : -1, POLLIN, 0 });
        for (const auto &[fd, held] : m_held) {
            if (held->draining || held->notBefore <= now) {
                polled.push_back({ fd, short(POLLIN | POLLRDHUP), 0 });
                owners.push_back(held.get());
            }
        }
        if (::poll(polled.data(), nfds_t(polled.size()), pollTimeoutMs(now)) < 0) {
            if (errno == EINTR)
                continue;
            spdlog::error("http: the accept loop stopped: poll failed ({})", std::strerror(errno));
            return;
        }
        for (size_t i = 2; i < polled.size(); ++i) {
            if (polled[i].revents)
                service(*owners[i - 2], polled[i].revents);
        }
        closeExpired();
        if (polled[1].revents & POLLIN)
            acceptAll();
    }
}

void RequestHeadGate::closeExpired()
{
    const auto now = SteadyClock::now();
    for (auto it = m_held.begin(); it != m_held.end();) {
        Held &held = *(it++)->second; // release() erases it
        if (held.draining ? now - held.drainingSince > m_options.discardTime
                          : now - held.lastProgress > m_options.idleTimeout)
            release(held, true);
    }
}

// The sockets the watchdog shut down (evicted, or past a deadline) are closed now,
// before a cap counts them: they are on their way out.
void RequestHeadGate::reapShutDown()
{
    std::vector<pollfd> polled;
    std::vector<Held *> owners;
    for (const auto &[fd, held] : m_held) {
        if (!held->draining) {
            polled.push_back({ fd, short(POLLRDHUP), 0 });
            owners.push_back(held.get());
        }
    }
    if (::poll(polled.data(), nfds_t(polled.size()), 0) <= 0)
        return;
    for (size_t i = 0; i < polled.size(); ++i) {
        if (polled[i].revents & (POLLRDHUP | POLLHUP | POLLERR))
            service(*owners[i], polled[i].revents);
    }
}

int RequestHeadGate::pollTimeoutMs(SteadyClock::time_point now) const
{
    auto wake = now + std::chrono::seconds(1); // draining deadlines are looked at this often at least
    for (const auto &[fd, held] : m_held) {
        if (!held->draining && held->notBefore > now)
            wake = std::min(wake, held->notBefore);
    }
    if (m_acceptPausedUntil > now)
        wake = std::min(wake, m_acceptPausedUntil);
    return int(std::chrono::ceil<milliseconds>(wake - now).count());
}

void RequestHeadGate::acceptAll()
{
    for (;;) {
        sockaddr_storage address {};
        socklen_t length = sizeof address;
        const int fd
            = ::accept4(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            admit(fd, address, length);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            // The backlog keeps them; try again shortly instead of spinning on a ready socket.
            spdlog::warn("http: cannot accept a connection: {}", std::strerror(errno));
            m_acceptPausedUntil = SteadyClock::now() + milliseconds(100);
        }
        return;
    }
}

void RequestHeadGate::admit(int fd, const sockaddr_storage &address, socklen_t length)
{
    const auto *peer = reinterpret_cast<const sockaddr *>(&address);
    const QString peerAddress = QHostAddress(peer).toString();
    const auto atCap = [&] {
        return m_watchdog.liveConnections() >= m_options.maxConnections
            || m_perPeer.value(peerAddress) >= m_options.maxConnectionsPerPeer;
    };
    if (atCap())
        reapShutDown();
    // As libmicrohttpd does at its caps: accepted and closed at once.
    if (atCap()) {
        ::close(fd);
        return;
    }
    auto held = std::make_unique<Held>();
    held->fd = fd;
    held->address = address;
    held->length = length;
    held->peerAddress = peerAddress;
    held->lastProgress = SteadyClock::now();
    Held &admitted = *held;
    m_held.emplace(fd, std::move(held));
    ++m_perPeer[peerAddress];
    m_watchdog.opened(&admitted, fd); // its head deadline starts; near the cap, the slowest head goes
    service(admitted, 0); // a quick client's head is often there already
}

void RequestHeadGate::service(Held &held, short events)
{
    if (held.draining) {
        drain(held);
        return;
    }
    const ssize_t peeked = ::recv(held.fd, m_buffer.data(), m_buffer.size(), MSG_PEEK);
    if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (peeked <= 0) {
        release(held, true); // gone, or cut by the watchdog
        return;
    }
    const QByteArrayView bytes(m_buffer.data(), qsizetype(peeked));
    const HeadVerdict verdict = judgeRequestHead(bytes, m_options.limits);
    if (verdict.action == HeadVerdict::Action::HandOver) {
        handOver(held);
        return;
    }
    if (verdict.action == HeadVerdict::Action::Refuse) {
        refuse(held, *verdict.refusal, bytes.first(verdict.headBytes));
        return;
    }
    if (events & (POLLRDHUP | POLLHUP | POLLERR)) {
        release(held, true); // no more is coming: this head or chunk line never completes
        return;
    }
    if (verdict.headBytes > 0 && !held.bodyAwaited) {
        // From here the body rate applies, and a chunk line that never comes is answered 408.
        held.head = parseRequestHead(bytes.first(verdict.headBytes));
        held.head.peer = peerOf(reinterpret_cast<const sockaddr *>(&held.address));
        held.bodyAwaited = true;
        m_watchdog.headReceived(&held, &held.head);
    }
    const auto now = SteadyClock::now();
    if (bytes.size() > held.peeked) {
        held.peeked = bytes.size();
        held.lastProgress = now;
    }
    held.notBefore = now + milliseconds(std::min(++held.peeks, 20));
}

void RequestHeadGate::refuse(Held &held, const IngestError &error, QByteArrayView head)
{
    if (!m_watchdog.claimAnswer(&held)) {
        release(held, true); // the watchdog answered it already
        return;
    }
    HttpRequest request = parseRequestHead(head);
    request.peer = peerOf(reinterpret_cast<const sockaddr *>(&held.address));
    const QByteArray answer = m_refuse(error, request);
    // Small, into the empty send buffer of a fresh connection: one write.
    if (::send(held.fd, answer.constData(), size_t(answer.size()), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
        release(held, true);
        return;
    }
    ::shutdown(held.fd, SHUT_WR);
    held.draining = true;
    held.drainingSince = SteadyClock::now();
    drain(held);
}

// What the client still sends is read and dropped, so that closing does not reset
// the connection before it read the answer; it closes when the client does.
void RequestHeadGate::drain(Held &held)
{
    for (;;) {
        const ssize_t got = ::recv(held.fd, m_buffer.data(), m_buffer.size(), 0);
        if (got > 0) {
            held.drained += got;
            if (held.drained <= m_options.maxDiscardBytes)
                continue;
        } else if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            return;
        }
        release(held, true);
        return;
    }
}

void RequestHeadGate::handOver(Held &held)
{
    const int fd = held.fd;
    const sockaddr_storage address = held.address;
    const socklen_t length = held.length;
    release(held, false);
    m_handOver(fd, reinterpret_cast<const sockaddr *>(&address), length);
}

void RequestHeadGate::release(Held &held, bool closeSocket)
{
    const int fd = held.fd;
    m_watchdog.closed(&held); // before the descriptor can be reused
    if (closeSocket)
        ::close(fd);
    if (--m_perPeer[held.peerAddress] <= 0)
        m_perPeer.remove(held.peerAddress);
    m_held.erase(fd);
}

} // namespace faultline
