#pragma once
// ActivityReader (storage/activity_reader.h) on SQLite: the queries the
// overview and the dropped-events view always ran.
#include "storage/activity_reader.h"

namespace faultline {

class Database;

class SqliteActivityReader : public ActivityReader {
public:
    explicit SqliteActivityReader(Database &db)
        : m_db(db)
    {
    }

    QHash<qint64, QList<qint64>> eventsPerBucket(const HistogramRange &range, QString *error) const override;
    QList<DiscardedCount> discarded(QString *error) const override;
    QList<DropSummary> dropSummaries(qint64 nowMs, QString *error) const override;

private:
    Database &m_db;
};

} // namespace faultline
