#pragma once
// Host names looked up without blocking the thread that asked, for a
// connection that must stay stoppable (PgConnection::openStoppable): libpq
// would call getaddrinfo() itself, synchronously, and a resolver that does
// not answer holds it for timeout × attempts per name server.
//
// Each name is one glibc getaddrinfo_a() request, looked up as libpq looks up
// a host (any address family, stream sockets). Its completion notification
// (SIGEV_THREAD) writes a byte to a pipe that wait() polls together with the
// stop pipe. What glibc works on — the request, its hints, its name, the pipe
// — lives in one shared block: a lookup given up on (a stop, the destructor)
// is cancelled if glibc has not started it, and otherwise left to finish; its
// notification then frees the block, so nothing is freed while glibc still
// writes to it.
#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <signal.h>
#include <vector>

namespace faultline {

class PgHostLookup {
public:
    // Starts looking up every name at once.
    explicit PgHostLookup(const QList<QByteArray> &names);
    ~PgHostLookup(); // abandon()s whatever still runs
    PgHostLookup(const PgHostLookup &) = delete;
    PgHostLookup &operator=(const PgHostLookup &) = delete;

    enum class Wait {
        Done, // every name is looked up (or failed to be)
        Stopped, // `stopFd` turned readable first
        Failed, // poll() failed (errno set)
    };
    // Waits until every name is looked up or `stopFd` (the read end of a pipe) turns readable.
    Wait wait(int stopFd);

    // After Done: the numeric addresses of names[i] in getaddrinfo()'s order
    // ("192.0.2.7", "2001:db8::7"); empty when the look-up failed, and then
    // error(i) says why in glibc's words ("Name or service not known").
    QStringList addresses(int i) const;
    QString error(int i) const;

    // Gives up on the names not looked up yet: glibc drops those it has not
    // started; those it is running finish on their own and free what they use.
    // Returns how many were left running.
    int abandon();

private:
    struct Shared; // what glibc works on
    struct Notification; // one request's completion notice: the index and a reference to Shared
    static void notified(sigval value); // on a thread of glibc's
    void markDone(int index);

    std::shared_ptr<Shared> m_shared;
    // [i]: request i's notice, which glibc's notification deletes; null once request i is done.
    std::vector<Notification *> m_notices;
    std::vector<bool> m_done; // [i]: request i finished and its result may be read
    int m_pending = 0; // requests not done yet
};

} // namespace faultline
