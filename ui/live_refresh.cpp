#include "ui/live_refresh.h"

#include "storage/alert_store.h"
#include "storage/database.h"
#include "storage/event_queries.h"
#include "storage/issue_histogram.h"
#include "storage/issue_summary.h"
#include "storage/page_queries.h"
#include "storage/project_store.h"
#include "storage/storage_gateway.h"

namespace faultline {

LiveSnapshot readLiveSnapshot(Database &db, const LiveRefreshRequest &request)
{
    IssueQueries issues(db);
    EventQueries events(db);
    ProjectStore projects(db);
    PageQueries pages(db);
    IssueHistogramQueries histograms(db);
    IssueSummaryQueries summaries(db);

    LiveSnapshot snapshot;
    snapshot.serial = request.serial;
    snapshot.issues = IssueListModel::readRefresh(request.issues, issues, &histograms);
    snapshot.projects = ProjectListModel::read(projects, issues, request.projectCounts);
    if (request.detailIssueId > 0)
        if (const std::optional<IssueRow> issue = issues.byId(request.detailIssueId))
            snapshot.detail
                = IssueDetailView::readActivity(*issue, events, &histograms, &summaries, request.detailChartSpan);
    if (request.pagesProject)
        snapshot.pages = PagesModel::read(pages, *request.pagesProject);
    AlertStore news(db);
    const auto readNews = [&](const QList<qint64> &ids, AlertTrigger trigger) {
        for (qint64 id : ids) {
            if (snapshot.news.size() >= kMaxNewsPerRefresh)
                return;
            if (const std::optional<AlertIssue> issue = news.issue(id))
                snapshot.news.append(IssueNews { *issue, trigger });
        }
    };
    readNews(request.newIssueIds, AlertTrigger::NewIssue);
    readNews(request.regressedIssueIds, AlertTrigger::Regression);
    readNews(request.escalatedIssueIds, AlertTrigger::Escalation);
    return snapshot;
}

LiveReader::LiveReader(StorageGateway &storage, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
{
}

void LiveReader::start(const LiveRefreshRequest &request)
{
    Q_ASSERT(!m_busy);
    m_busy = true;
    m_storage.read([request](Database &db) { return readLiveSnapshot(db, request); }, this,
        [this, serial = request.serial](const StorageResult<LiveSnapshot> &read) {
            m_busy = false;
            if (read) {
                emit finished(*read);
                return;
            }
            LiveSnapshot failed;
            failed.serial = serial;
            failed.error = storageErrorText(read.error());
            emit finished(failed);
        });
}

} // namespace faultline
