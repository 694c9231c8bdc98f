#pragma once
// Logs rejected requests at warn, with a budget so a flood of bad requests
// cannot fill the disk: past the budget, lines are counted and summarised.
#include <QString>

#include <chrono>
#include <mutex>

namespace faultline {

class RejectionLog {
public:
    explicit RejectionLog(int linesPerWindow = 20, std::chrono::seconds window = std::chrono::seconds(10));
    void record(const QString &method, const QString &path, const QString &peer, int status, const QString &reason);
    // A request whose head could not be parsed: no method, path or peer to name.
    void recordUnparseable(int status, const QString &reason);

private:
    // Counts one line against the window's budget; false when it is spent.
    bool withinBudget();

    const int m_linesPerWindow;
    const std::chrono::seconds m_window;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_windowStart{};
    int m_linesInWindow = 0;
    long m_suppressed = 0;
};

}  // namespace faultline
