#pragma once
// ActivityReader (storage/activity_reader.h) on PostgreSQL (#18): the
// overview's events per project per hour, and the dropped-events view's
// refusals and client reports, summed as SQLite's are (summarizeDrops).
#include "storage/activity_reader.h"

namespace faultline {

class PgConnection;

class PgActivityReader : public ActivityReader {
public:
    explicit PgActivityReader(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QHash<qint64, QList<qint64>> eventsPerBucket(const HistogramRange &range, QString *error) const override;
    QList<DiscardedCount> discarded(QString *error) const override;
    QList<DropSummary> dropSummaries(qint64 nowMs, QString *error) const override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
