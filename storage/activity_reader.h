#pragma once
// What arrived and what was lost, per project (#18): the window's "All
// projects" overview (storage/project_overview.h) and its Dropped events view
// (storage/dropped_events.h) read these on either backend. SQLite's wraps
// the queries it always ran (storage/sqlite_readers.h); PostgreSQL's writes
// its own SQL (storage/postgres/pg_activity_reader.h).
#include "storage/database_stats.h"
#include "storage/dropped_events.h"
#include "storage/issue_histogram.h"

#include <QHash>
#include <QList>

namespace faultline {

class ActivityReader {
public:
    virtual ~ActivityReader() = default;

    // Events per bucket of `range`, oldest first, for every project that had any in it.
    // On a database error: what was read, and *error set.
    virtual QHash<qint64, QList<qint64>> eventsPerBucket(const HistogramRange &range, QString *error) const = 0;
    // What SDKs reported losing on their side (client reports), summed per project, reason and category.
    virtual QList<DiscardedCount> discarded(QString *error) const = 0;
    // Refusals and client reports of every project, busiest in the last day first.
    virtual QList<DropSummary> dropSummaries(qint64 nowMs, QString *error) const = 0;

protected:
    ActivityReader() = default;
    ActivityReader(const ActivityReader &) = default;
    ActivityReader &operator=(const ActivityReader &) = default;
};

} // namespace faultline
