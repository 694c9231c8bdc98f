#include "storage/project_overview.h"

#include "storage/database.h"
#include "storage/project_store.h"
#include "storage/statement.h"

#include <QHash>

#include <algorithm>
#include <numeric>

namespace faultline {

qint64 ProjectActivity::total() const { return std::accumulate(hourly.cbegin(), hourly.cend(), qint64(0)); }

ProjectOverview readProjectOverview(Database &db, qint64 nowMs, int newIssueLimit)
{
    ProjectOverview overview;
    overview.range = HistogramRange::lastHours(nowMs, 24);
    const HistogramRange &range = overview.range;
    QHash<qint64, int> indexOf;
    for (const Project &project : ProjectStore(db).all()) {
        indexOf.insert(project.id, int(overview.projects.size()));
        overview.projects.append({ project.id, project.name, QList<qint64>(range.buckets, 0) });
    }
    // One pass over the day's events through events(project_id, received_ms), per project.
    Statement select(db.handle(),
        QStringLiteral("SELECT (received_ms - ?2) / ?3, count(*) FROM events "
                       "WHERE project_id = ?1 AND received_ms >= ?2 AND received_ms < ?4 GROUP BY 1"));
    for (ProjectActivity &project : overview.projects) {
        select.reset();
        select.bindAll({ project.projectId, range.startMs, range.bucketMs, range.endMs() });
        while (select.step()) {
            const qint64 bucket = select.int64(0);
            if (bucket >= 0 && bucket < range.buckets)
                project.hourly[bucket] = select.int64(1);
        }
        if (!select.error().isEmpty())
            overview.error = select.error();
    }
    std::stable_sort(overview.projects.begin(), overview.projects.end(),
        [](const ProjectActivity &a, const ProjectActivity &b) { return a.total() > b.total(); });

    IssueListRequest request;
    QueryTerm firstSeen;
    firstSeen.field = QueryField::FirstSeen;
    firstSeen.seconds = 24 * 3600;
    request.query.terms.append(firstSeen);
    request.sort = IssueSort::Count;
    request.limit = newIssueLimit;
    request.nowMs = nowMs;
    QString error;
    overview.newIssues = IssueQueries(db).list(request, &error);
    if (!error.isEmpty())
        overview.error = error;
    overview.discarded = discardedCounts(db);
    return overview;
}

} // namespace faultline
