#pragma once
// Turns SIGINT/SIGTERM into a clean QCoreApplication::exit(0), so the writer
// drains and commits what it acknowledged-to-be before the process exits.
namespace faultline {

void quitOnTerminationSignals();

// The main event loop, unless a signal came before it started: a signal handled in a nested
// loop while the window was being built (quit() does nothing then) would otherwise be lost.
int execUnlessTerminated();

} // namespace faultline
