#pragma once
// Deadlines libmicrohttpd does not have. Its timeout counts idle time only, so
// a peer sending one byte every few seconds holds a connection for ever, and
// since every local client is 127.0.0.1, a few hundred such peers lock every
// SDK out. The watchdog closes a connection whose request head is not complete
// within a deadline, or whose body arrives slower than a minimum rate, and,
// when the connections near their cap, evicts the one that has waited longest
// for its head, so requests that complete always find room. It watches the
// sockets the request head gate still holds (collector/request_head_gate.h) and
// libmicrohttpd's connections alike: each is a key and a descriptor.
//
// A body too slow is answered (408, JSON) before the cut when its owner said
// the answer may be written (headReceived with the head): the owner then writes
// nothing to that socket without claimAnswer() first.
#include "collector/http_types.h"

#include <QByteArray>
#include <QtGlobal>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace faultline {

// An MHD_Connection, or a socket the head gate holds: only compared, never followed.
using ConnectionKey = const void *;

struct WatchdogOptions {
    std::chrono::milliseconds headDeadline { 10'000 }; // from accept, or from the previous answer
    std::chrono::milliseconds bodyGrace { 5'000 }; // before the minimum rate applies
    qint64 minBodyBytesPerSecond = 1024;
    int evictAbove = 192; // connections; past it the slowest head goes
    std::chrono::milliseconds tick { 200 };
};

// What a body too slow is told: the whole answer as it goes on the wire (the
// refusal is counted and logged as it is built). Called on the watchdog's thread.
struct SlowBody {
    qint64 bytes = 0;
    std::chrono::milliseconds elapsed {};
};
using SlowBodyAnswer = std::function<QByteArray(const HttpRequest &head, const SlowBody &body)>;

class ConnectionWatchdog {
public:
    explicit ConnectionWatchdog(WatchdogOptions options, SlowBodyAnswer slowBodyAnswer = {});
    ~ConnectionWatchdog();
    ConnectionWatchdog(const ConnectionWatchdog &) = delete;
    ConnectionWatchdog &operator=(const ConnectionWatchdog &) = delete;

    void start();
    void stop();

    // Called from the gate's and libmicrohttpd's threads as a connection moves on.
    void opened(ConnectionKey connection, int fd);
    // The head is complete; the body is awaited. With `head` (valid until requestDone
    // or closed; only its method, path, query, headers and peer are read), a body too
    // slow is answered before the cut; with `onlyAfterBodyBytes`, only once some body
    // came (an `Expect: 100-continue` whose 100 libmicrohttpd may still be writing).
    void headReceived(ConnectionKey connection, const HttpRequest *head = nullptr, bool onlyAfterBodyBytes = false);
    void bodyReceived(ConnectionKey connection, qint64 bytes);
    // The caller is about to queue an answer: no more deadlines. False when the
    // watchdog answered first (then the caller must write nothing, and close).
    bool claimAnswer(ConnectionKey connection);
    void requestDone(ConnectionKey connection); // kept alive: the next head's deadline starts
    void closed(ConnectionKey connection);
    // libmicrohttpd is answering a request itself on the calling thread (its error
    // log line comes before it queues that answer): bodies served by this thread
    // are cut without an answer of ours, so two answers never meet on one socket.
    void libraryAnswersOnThisThread();

    int closedForDeadline() const; // for tests and the log
    int answeredTooSlow() const;
    int liveConnections() const; // not cut yet

private:
    enum class Phase { Head, Body, Answering };
    struct Timing {
        int fd = -1;
        quint64 serial = 0; // a key and a descriptor are reused: this tells the connections apart
        Phase phase = Phase::Head;
        std::chrono::steady_clock::time_point since;
        qint64 bodyBytes = 0;
        bool cut = false; // shut down already; waiting for its owner to close it
        const HttpRequest *head = nullptr; // set: a slow body may be answered
        bool onlyAfterBodyBytes = false;
        bool watchdogAnswers = false; // claimed by the watchdog: its answer is being built
        std::thread::id servedBy; // the thread that reported the head

        // A new phase's deadline starts now, with nothing of the last request's.
        void restart(Phase next)
        {
            phase = next;
            since = std::chrono::steady_clock::now();
            bodyBytes = 0;
            head = nullptr;
            onlyAfterBodyBytes = false;
            watchdogAnswers = false;
        }
    };
    struct DueAnswer {
        ConnectionKey connection;
        quint64 serial;
        HttpRequest head;
        SlowBody body;
    };

    void run();
    void cut(Timing &clock, const char *why);
    void evictSlowestHead(ConnectionKey except);
    static bool answerable(const Timing &clock);
    void answer(const DueAnswer &due, const QByteArray &bytes);

    const WatchdogOptions m_options;
    const SlowBodyAnswer m_slowBodyAnswer;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<ConnectionKey, Timing> m_connections;
    quint64 m_serials = 0;
    bool m_stopping = false;
    int m_cut = 0;
    int m_answered = 0;
    std::thread m_thread;
};

} // namespace faultline
