#include "storage/postgres/pg_socket_wait.h"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace faultline {

SocketWait waitForSocket(int socket, bool forWriting, int stopFd, int timeoutMs)
{
    if (socket < 0)
        return SocketWait::Ready;
    pollfd fds[2] = { { stopFd, POLLIN, 0 }, { socket, short(forWriting ? POLLOUT : POLLIN), 0 } };
    for (;;) {
        const int ready = ::poll(fds, 2, timeoutMs);
        if (ready < 0 && errno == EINTR)
            continue; // a signal handler ran (the app's SIGTERM pipe): wait on
        if (ready < 0)
            return SocketWait::Failed;
        if (ready == 0)
            return SocketWait::TimedOut;
        if (fds[0].revents != 0)
            return SocketWait::Stopped;
        return SocketWait::Ready; // readable, writable, or hung up / in error: libpq says which
    }
}

bool waitForStop(int stopFd, int timeoutMs)
{
    pollfd fd { stopFd, POLLIN, 0 };
    int ready = 0;
    do
        ready = ::poll(&fd, 1, timeoutMs);
    while (ready < 0 && errno == EINTR);
    return ready > 0;
}

bool makeWakePipe(int (&ends)[2]) { return ::pipe2(ends, O_CLOEXEC | O_NONBLOCK) == 0; }

} // namespace faultline
