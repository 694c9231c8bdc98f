#pragma once
// `j` held down across 200 issues: the GUI thread's longest stall while the
// current row moves at key auto-repeat rate and the detail follows it.
class QApplication;

namespace faultline {
class MainWindow;
}

namespace faultline::bench {

// Triggers the window's Next Issue action (the `j` shortcut) every `repeatMs` for
// `presses` rows from the top of the list, with a 1 ms heartbeat on the GUI thread;
// then lets the key go and waits until the detail shows the row it stopped on.
void measureHoldNext(QApplication &app, MainWindow &window, int presses = 200, int repeatMs = 33);

} // namespace faultline::bench
