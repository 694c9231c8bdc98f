#include "collector/rejection_log.h"

#include "model/escaped_text.h"

#include <spdlog/spdlog.h>

namespace faultline {

RejectionLog::RejectionLog(RejectionLogBudget budget)
    : m_budget(budget)
{
}

QString RejectionLog::loggable(const QString &text, qsizetype maxChars)
{
    return escapedText(text, Backslash::Escape, maxChars);
}

void RejectionLog::record(
    const QString &method, const QString &path, const QString &peer, int status, const QString &reason)
{
    const qsizetype cap = m_budget.maxFieldChars;
    // Reasons often quote the path, so they get the same treatment (twice the room: they explain).
    write(QStringLiteral("collector: rejected %1 %2 from %3: %4 %5")
              .arg(loggable(method, cap), loggable(path, cap), loggable(peer, cap))
              .arg(status)
              .arg(loggable(reason, 2 * cap))
              .toStdString());
}

void RejectionLog::recordUnparseable(int status, const QString &reason)
{
    write(QStringLiteral("collector: rejected a request it could not parse: %1 %2")
              .arg(status)
              .arg(loggable(reason, 2 * m_budget.maxFieldChars))
              .toStdString());
}

void RejectionLog::write(const std::string &line)
{
    if (withinBudget(qsizetype(line.size())))
        spdlog::warn("{}", line);
}

bool RejectionLog::withinBudget(qsizetype bytes)
{
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (now - m_windowStart >= m_budget.window) {
        if (m_suppressed > 0)
            spdlog::warn("collector: {} more rejected requests were not logged in the last {} s", m_suppressed,
                m_budget.window.count());
        m_windowStart = now;
        m_linesInWindow = 0;
        m_bytesInWindow = 0;
        m_suppressed = 0;
    }
    if (m_linesInWindow >= m_budget.linesPerWindow || m_bytesInWindow + bytes > m_budget.bytesPerWindow) {
        ++m_suppressed;
        return false;
    }
    ++m_linesInWindow;
    m_bytesInWindow += bytes;
    return true;
}

} // namespace faultline
