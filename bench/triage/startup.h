#pragma once
// Start-up to the first painted issue list, and the toolkit's own floor.
#include <QElapsedTimer>

namespace faultline::bench {

// Both print RESULT lines (see bench/triage/run) and return the exit code.
// `sinceMain` was started on main()'s first line.
int runStartup(int argc, char **argv, const QElapsedTimer &sinceMain);
int runStartupFloor(int argc, char **argv, const QElapsedTimer &sinceMain);

} // namespace faultline::bench
