#include "app/shutdown_signals.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace faultline {

namespace {
int g_signalPipe[2] = { -1, -1 }; // self-pipe: the only async-signal-safe way into the event loop
bool g_terminated = false; // the notifier ran: the GUI thread's, no lock needed

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}
} // namespace

void quitOnTerminationSignals()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, QCoreApplication::instance(), [] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalPipe[0], &byte, 1);
        g_terminated = true;
        // exit(), not quit(): a QGuiApplication's quit() first asks every window to close, and the
        // main window refuses (it hides to the tray), which cancels the quit.
        QCoreApplication::exit(0);
    });
    struct sigaction action { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

int execUnlessTerminated() { return g_terminated ? 0 : QCoreApplication::exec(); }

int terminationSignalFd() { return g_signalPipe[0]; }

bool terminationRequested()
{
    if (g_terminated)
        return true;
    pollfd pipe { g_signalPipe[0], POLLIN, 0 };
    return g_signalPipe[0] >= 0 && ::poll(&pipe, 1, 0) > 0;
}

} // namespace faultline
