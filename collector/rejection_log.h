#pragma once
// Logs rejected requests at warn, with a budget so a flood of bad requests
// cannot fill the disk or rotate earlier lines away: past the budget (lines and
// bytes per window), lines are counted and summarised. Everything taken from a
// request is escaped (\xXX, as nginx writes it) and cut to a field limit, so a
// path cannot forge a log line or reach the terminal.
#include <QString>

#include <chrono>
#include <mutex>

namespace faultline {

struct RejectionLogBudget {
    int linesPerWindow = 20;
    qsizetype bytesPerWindow = 8 * 1024;
    qsizetype maxFieldChars = 200; // per field taken from a request
    std::chrono::seconds window = std::chrono::seconds(10);
};

class RejectionLog {
public:
    explicit RejectionLog(RejectionLogBudget budget = {});
    void record(const QString &method, const QString &path, const QString &peer, int status, const QString &reason);
    // A request whose head could not be parsed: no method, path or peer to name.
    void recordUnparseable(int status, const QString &reason);

    // A field from a request as it may appear in a log line.
    static QString loggable(const QString &text, qsizetype maxChars = RejectionLogBudget {}.maxFieldChars);

private:
    // Counts one line of `bytes` against the window's budget; false when it is spent.
    bool withinBudget(qsizetype bytes);
    void write(const std::string &line);

    const RejectionLogBudget m_budget;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_windowStart {};
    int m_linesInWindow = 0;
    qsizetype m_bytesInWindow = 0;
    long m_suppressed = 0;
};

} // namespace faultline
