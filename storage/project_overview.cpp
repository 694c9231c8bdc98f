#include "storage/project_overview.h"

#include "storage/activity_reader.h"
#include "storage/backend.h"
#include "storage/project_store.h"
#include "storage/store_readers.h"

#include <QHash>

#include <algorithm>
#include <numeric>

namespace faultline {

qint64 ProjectActivity::total() const { return std::accumulate(hourly.cbegin(), hourly.cend(), qint64(0)); }

ProjectOverview readProjectOverview(StorageBackend &backend, qint64 nowMs, int newIssueLimit)
{
    ProjectOverview overview;
    overview.range = HistogramRange::lastHours(nowMs, 24);
    const HistogramRange &range = overview.range;
    QString error;
    const QHash<qint64, QList<qint64>> hourly = backend.activity().eventsPerBucket(range, &error);
    for (const Project &project : backend.projects().all())
        overview.projects.append(
            { project.id, project.name, hourly.value(project.id, QList<qint64>(range.buckets, 0)) });
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
    overview.newIssues = backend.issues().list(request, &error);
    overview.discarded = backend.activity().discarded(&error);
    overview.error = error; // the last failure; each read only sets it when it fails
    return overview;
}

} // namespace faultline
