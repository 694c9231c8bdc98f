#pragma once
// The collector's accept loop, in front of libmicrohttpd. libmicrohttpd 0.9.75
// (Debian 12) answers two kinds of request before any callback of ours can —
// an overflowing Content-Length (its 413 head written twice) and a first chunk
// of 2^64-1 bytes (awaited in silence) — so this thread accepts the connections
// itself, peeks (MSG_PEEK: the bytes stay in the socket) until the request head
// and, for a chunked body, the first chunk-size line are there, and either
// answers those with our JSON (counted and logged like every refusal) or hands
// the socket, unread, to libmicrohttpd (MHD_add_connection). The verdict is
// collector/head_verdict.h; the deadlines and the connection budget are the
// ConnectionWatchdog's, which watches the sockets held here like the others.
//
// One thread, poll() over every socket it holds: a slow peer never blocks the
// others. A socket re-peeked without the head complete waits a little longer
// each time (up to 20 ms), so a peer sending a byte at a time costs a bounded
// number of peeks, not one per byte.
#include "collector/head_verdict.h"

#include <QHash>
#include <QHostAddress>
#include <QString>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include <sys/socket.h>

namespace faultline {

class ConnectionWatchdog;

struct HeadGateOptions {
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0 = a free port
    HeadLimits limits;
    int maxConnections = 512; // held here and in libmicrohttpd together
    int maxConnectionsPerPeer = 256; // held here (libmicrohttpd counts its own)
    // After a refusal the rest of the request is read and dropped (so the client
    // reads the answer, not a reset), up to this much, as for the HTTP layer's.
    qint64 maxDiscardBytes = 64 << 20;
    std::chrono::seconds discardTime { 10 };
    // A socket that sends nothing for this long is closed, as libmicrohttpd closes its idle ones.
    std::chrono::seconds idleTimeout { 30 };
};

class RequestHeadGate {
public:
    // Takes the socket and its ownership; called on the gate's thread.
    using HandOver = std::function<void(int fd, const sockaddr *address, socklen_t length)>;
    // Counts and logs a refusal; returns the answer's bytes (collector/http_wire.h).
    using Refuse = std::function<QByteArray(const IngestError &error, const HttpRequest &head)>;

    RequestHeadGate(HeadGateOptions options, ConnectionWatchdog &watchdog, HandOver handOver, Refuse refuse);
    ~RequestHeadGate();
    RequestHeadGate(const RequestHeadGate &) = delete;
    RequestHeadGate &operator=(const RequestHeadGate &) = delete;

    bool listen(QString *error);
    quint16 port() const { return m_port; }
    void start();
    // Stops accepting (the listening socket is closed: new clients are refused at
    // once) and closes every socket not handed over yet.
    void stop();

private:
    struct Held;
    void run();
    void acceptAll();
    void closeExpired();
    void reapShutDown();
    void admit(int fd, const sockaddr_storage &address, socklen_t length);
    void service(Held &held, short events);
    void refuse(Held &held, const IngestError &error, QByteArrayView head);
    void drain(Held &held);
    void handOver(Held &held);
    void release(Held &held, bool closeSocket);
    int pollTimeoutMs(std::chrono::steady_clock::time_point now) const;

    const HeadGateOptions m_options;
    ConnectionWatchdog &m_watchdog;
    const HandOver m_handOver;
    const Refuse m_refuse;
    int m_listenFd = -1;
    int m_wakeFd = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stopping { false };
    std::thread m_thread;
    // Only the gate's thread touches these.
    std::map<int, std::unique_ptr<Held>> m_held; // by descriptor
    QHash<QString, int> m_perPeer; // held sockets per address
    std::vector<char> m_buffer;
    std::chrono::steady_clock::time_point m_acceptPausedUntil {};
};

} // namespace faultline
