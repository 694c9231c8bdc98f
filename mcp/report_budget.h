#pragma once
// Keeps an event report within what an agent can read at once. Each part is
// already capped (event_report.cpp); together 40 frames of locals can still be
// hundreds of kilobytes, and agents truncate or refuse big tool results
// (Claude Code warns past 25k tokens). So detail goes from the oldest frames
// first — locals, then source lines, then the frames — and the crash end stays.
#include <QJsonObject>

namespace faultline {

constexpr qsizetype kReportBudgetBytes = 60 * 1024;

// `event` is an eventReportJson(); adds "trimmed_for_size" saying what went.
void fitEventReportToBudget(QJsonObject &event, qsizetype budgetBytes = kReportBudgetBytes);

} // namespace faultline
