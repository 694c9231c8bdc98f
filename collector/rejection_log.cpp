#include "collector/rejection_log.h"

#include <spdlog/spdlog.h>

namespace faultline {

RejectionLog::RejectionLog(int linesPerWindow, std::chrono::seconds window)
    : m_linesPerWindow(linesPerWindow), m_window(window)
{
}

void RejectionLog::record(const QString &method, const QString &path, const QString &peer, int status,
                          const QString &reason)
{
    if (withinBudget())
        spdlog::warn("collector: rejected {} {} from {}: {} {}", method.toStdString(), path.toStdString(),
                     peer.toStdString(), status, reason.toStdString());
}

void RejectionLog::recordUnparseable(int status, const QString &reason)
{
    if (withinBudget())
        spdlog::warn("collector: rejected a request it could not parse: {} {}", status, reason.toStdString());
}

bool RejectionLog::withinBudget()
{
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (now - m_windowStart >= m_window) {
        if (m_suppressed > 0)
            spdlog::warn("collector: {} more rejected requests were not logged in the last {} s", m_suppressed,
                         m_window.count());
        m_windowStart = now;
        m_linesInWindow = 0;
        m_suppressed = 0;
    }
    if (m_linesInWindow >= m_linesPerWindow) {
        ++m_suppressed;
        return false;
    }
    ++m_linesInWindow;
    return true;
}

}  // namespace faultline
