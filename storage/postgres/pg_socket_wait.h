#pragma once
// Waiting on a libpq socket from a thread that must stay stoppable
// (pg_change_listener.h): poll() on the socket and on the read end of a pipe
// whose owner writes a byte to stop the wait, so no loop ever asks the
// database "anything new?".
namespace faultline {

enum class SocketWait {
    Ready, // the socket can be read (or written, when asked)
    Stopped, // the stop pipe turned readable
    TimedOut,
    Failed, // poll() itself failed
};

// `timeoutMs` < 0: no limit. A negative `socket` (libpq has none yet) is Ready at once.
SocketWait waitForSocket(int socket, bool forWriting, int stopFd, int timeoutMs);

// Sleeps up to `timeoutMs`; true when the stop pipe turned readable meanwhile.
bool waitForStop(int stopFd, int timeoutMs);

// A pipe for waking a waiting thread: both ends close-on-exec and non-blocking.
// False (errno set) when the system refused one.
bool makeWakePipe(int (&ends)[2]);

} // namespace faultline
