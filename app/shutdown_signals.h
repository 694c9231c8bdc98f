#pragma once
// Turns SIGINT/SIGTERM into a clean QCoreApplication::quit(), so the writer
// drains and commits what it acknowledged-to-be before the process exits.
namespace faultline {

void quitOnTerminationSignals();

}  // namespace faultline
