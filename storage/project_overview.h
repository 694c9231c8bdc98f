#pragma once
// The "All projects" overview: each project's events per hour over the last
// day, the issues first seen in that day (most events first), and what was
// lost before storage (SDK client reports).
#include "storage/database_stats.h"
#include "storage/issue_histogram.h"
#include "storage/issue_queries.h"

#include <QList>
#include <QString>

namespace faultline {

class StorageBackend;

struct ProjectActivity {
    qint64 projectId = 0;
    QString name;
    QList<qint64> hourly; // one per hour of the range, oldest first
    qint64 total() const;
};

struct ProjectOverview {
    HistogramRange range; // the last 24 hours
    QList<ProjectActivity> projects; // busiest first; projects without events in the range last
    QList<IssueRow> newIssues; // first seen in the range, most events first
    QList<DiscardedCount> discarded;
    QString error;
};

// On either backend (#18); a read that failed leaves its part empty and says why in `error`.
ProjectOverview readProjectOverview(StorageBackend &backend, qint64 nowMs, int newIssueLimit = 10);

} // namespace faultline
