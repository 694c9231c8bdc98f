#pragma once
// Turns SIGINT/SIGTERM into a clean QCoreApplication::exit(0), so the writer
// drains and commits what it acknowledged-to-be before the process exits.
namespace faultline {

void quitOnTerminationSignals();

// The main event loop, unless a signal came before it started: a signal handled in a nested
// loop while the window was being built (quit() does nothing then) would otherwise be lost.
int execUnlessTerminated();

// The read end of the signals' self-pipe, readable from the first SIGINT/SIGTERM on; -1 before
// quitOnTerminationSignals(). Start-up waits on it that the event loop cannot interrupt yet: a
// PostgreSQL connect and host name look-up (PgConnection::openStoppable).
int terminationSignalFd();
// A SIGINT/SIGTERM came (handled or not yet by the event loop).
bool terminationRequested();

} // namespace faultline
