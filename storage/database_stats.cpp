#include "storage/database_stats.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <QFileInfo>

namespace faultline {

QList<DiscardedCount> discardedCounts(Database &db, qint64 projectId, QString *error)
{
    Statement select(db.handle(),
        QStringLiteral("SELECT project_id, reason, category, sum(quantity) FROM discarded "
                       "WHERE ?1 = 0 OR project_id = ?1 GROUP BY project_id, reason, category "
                       "ORDER BY project_id, reason, category"));
    select.bind(1, projectId);
    QList<DiscardedCount> counts;
    while (select.step())
        counts.append(DiscardedCount { select.int64(0), select.text(1), select.text(2), select.int64(3) });
    if (!select.error().isEmpty() && error)
        *error = select.error();
    return counts;
}

qint64 databaseFileSize(const Database &db) { return databaseFileSize(db.path()); }

qint64 databaseFileSize(const QString &dbPath)
{
    return QFileInfo(dbPath).size() + QFileInfo(dbPath + QStringLiteral("-wal")).size();
}

} // namespace faultline
