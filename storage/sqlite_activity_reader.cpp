#include "storage/sqlite_activity_reader.h"

#include "storage/database.h"
#include "storage/project_store.h"
#include "storage/statement.h"

namespace faultline {

QHash<qint64, QList<qint64>> SqliteActivityReader::eventsPerBucket(const HistogramRange &range, QString *error) const
{
    // One pass per project through events(project_id, received_ms): SQLite has no index on the time alone.
    Statement select(m_db.handle(),
        QStringLiteral("SELECT (received_ms - ?2) / ?3, count(*) FROM events "
                       "WHERE project_id = ?1 AND received_ms >= ?2 AND received_ms < ?4 GROUP BY 1"));
    QHash<qint64, QList<qint64>> perProject;
    for (const Project &project : ProjectStore(m_db).all()) {
        select.reset();
        select.bindAll({ project.id, range.startMs, range.bucketMs, range.endMs() });
        while (select.step()) {
            const qint64 bucket = select.int64(0);
            if (bucket < 0 || bucket >= range.buckets)
                continue;
            auto found = perProject.find(project.id);
            if (found == perProject.end())
                found = perProject.insert(project.id, QList<qint64>(range.buckets, 0));
            (*found)[bucket] = select.int64(1);
        }
        if (!select.error().isEmpty() && error)
            *error = select.error();
    }
    return perProject;
}

QList<DiscardedCount> SqliteActivityReader::discarded(QString *error) const { return discardedCounts(m_db, 0, error); }

QList<DropSummary> SqliteActivityReader::dropSummaries(qint64 nowMs, QString *error) const
{
    return DroppedEventsStore(m_db).summaries(nowMs, error);
}

} // namespace faultline
