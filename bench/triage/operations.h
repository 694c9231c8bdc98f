#pragma once
// Filter changes and opening issues through MainWindow's public API, each
// beside the same storage reads done directly (the floor), and the memory
// high-water mark after them.
#include <QString>

#include <functional>

class QApplication;

namespace faultline {
class Database;
class MainWindow;
} // namespace faultline

namespace faultline::bench {

// Runs the event loop until `done()` or `timeoutMs`; true when done.
bool spinUntil(QApplication &app, const std::function<bool()> &done, int timeoutMs = 10'000);

void measureFilters(QApplication &app, MainWindow &window, Database &floorDb, int repeats);
void measureOpenIssue(QApplication &app, MainWindow &window, Database &floorDb, int repeats);
// Issue 14's figures on the issue with the most events (the generator's hot issue,
// 100,000 events over 90 days): opening it with its summary (tag distribution,
// users, per-release counts), the Events tab's first page, and the chart switched
// to 90 days, each until repainted (hot_issue.cpp).
void measureHotIssue(QApplication &app, MainWindow &window, Database &floorDb, int repeats);

} // namespace faultline::bench
