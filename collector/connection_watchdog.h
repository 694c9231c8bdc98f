#pragma once
// Deadlines libmicrohttpd does not have. Its timeout counts idle time only, so
// a peer sending one byte every few seconds holds a connection for ever, and
// since every local client is 127.0.0.1, a few hundred such peers lock every
// SDK out. The watchdog closes a connection whose request head is not complete
// within a deadline, or whose body arrives slower than a minimum rate, and,
// when the connections near their cap, evicts the one that has waited longest
// for its head, so requests that complete always find room.
#include <QtGlobal>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

struct MHD_Connection;

namespace faultline {

struct WatchdogOptions {
    std::chrono::milliseconds headDeadline { 10'000 }; // from accept, or from the previous answer
    std::chrono::milliseconds bodyGrace { 5'000 }; // before the minimum rate applies
    qint64 minBodyBytesPerSecond = 1024;
    int evictAbove = 192; // connections; past it the slowest head goes
    std::chrono::milliseconds tick { 200 };
};

class ConnectionWatchdog {
public:
    explicit ConnectionWatchdog(WatchdogOptions options);
    ~ConnectionWatchdog();
    ConnectionWatchdog(const ConnectionWatchdog &) = delete;
    ConnectionWatchdog &operator=(const ConnectionWatchdog &) = delete;

    void start();
    void stop();

    // Called from libmicrohttpd's threads as a connection moves on.
    void opened(MHD_Connection *connection, int fd);
    void headReceived(MHD_Connection *connection);
    void bodyReceived(MHD_Connection *connection, qint64 bytes);
    void answering(MHD_Connection *connection); // the body is complete: no more deadlines
    void requestDone(MHD_Connection *connection); // kept alive: the next head's deadline starts
    void closed(MHD_Connection *connection);

    int closedForDeadline() const; // for tests and the log

private:
    enum class Phase { Head, Body, Answering };
    struct Timing {
        int fd = -1;
        Phase phase = Phase::Head;
        std::chrono::steady_clock::time_point since;
        qint64 bodyBytes = 0;
        bool cut = false; // shut down already; waiting for libmicrohttpd to close it
    };

    void run();
    void cut(Timing &clock, const char *why);
    void evictSlowestHead(MHD_Connection *except);

    const WatchdogOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<MHD_Connection *, Timing> m_connections;
    bool m_stopping = false;
    int m_cut = 0;
    std::thread m_thread;
};

} // namespace faultline
