#include "storage/stored_size.h"

#include "storage/database.h"
#include "storage/statement.h"

namespace faultline {

namespace {

// One event's bytes: its compressed JSON (length() of a blob reads no content) and its attachments.
const QString kEventBytes
    = QStringLiteral("length(e.raw) + coalesce((SELECT sum(a.size) FROM attachments a WHERE a.event_row = e.id), 0)");

qint64 firstInt(Statement &select, QString *error)
{
    if (select.step())
        return select.int64(0);
    if (error)
        *error = select.error().isEmpty() ? QStringLiteral("no result") : select.error();
    return -1;
}

} // namespace

qint64 projectStoredBytes(Database &db, qint64 projectId, QString *error)
{
    Statement select(db.handle(),
        QStringLiteral("SELECT coalesce(sum(%1), 0) FROM events e WHERE e.project_id = ?").arg(kEventBytes));
    select.bind(1, projectId);
    return firstInt(select, error);
}

qint64 oldestEventsOverSize(Database &db, qint64 projectId, qint64 maxBytes, QString *error)
{
    const qint64 stored = projectStoredBytes(db, projectId, error);
    if (stored <= maxBytes)
        return stored < 0 ? -1 : 0;
    // The oldest events whose bytes, added up oldest first, reach the excess: the
    // ones whose running total before them is still short of it.
    Statement select(db.handle(),
        QStringLiteral("SELECT count(*) FROM (SELECT sum(%1) OVER (ORDER BY e.received_ms, e.id ROWS UNBOUNDED "
                       "PRECEDING) - (%1) AS before FROM events e WHERE e.project_id = ?1) WHERE before < ?2")
            .arg(kEventBytes));
    select.bindAll({ projectId, stored - maxBytes });
    return firstInt(select, error);
}

} // namespace faultline
