#include "ui/live_refresh.h"

#include "storage/alert_store.h"
#include "storage/database.h"
#include "storage/event_queries.h"
#include "storage/issue_histogram.h"
#include "storage/issue_summary.h"
#include "storage/page_queries.h"
#include "storage/project_store.h"

#include <QtConcurrent/QtConcurrentRun>

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

LiveReader::LiveReader(QString dbPath, QObject *parent)
    : QObject(parent)
    , m_dbPath(std::move(dbPath))
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    connect(&m_watcher, &QFutureWatcher<LiveSnapshot>::finished, this, [this]() {
        m_busy = false;
        emit finished(m_watcher.result());
    });
}

LiveReader::~LiveReader() { m_pool.waitForDone(); }

void LiveReader::start(const LiveRefreshRequest &request)
{
    Q_ASSERT(!m_busy);
    m_busy = true;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [this, request]() {
        if (!m_db) {
            LiveSnapshot failed;
            failed.serial = request.serial;
            m_db = Database::open(m_dbPath, Database::Mode::ReadOnly, &failed.error);
            if (!m_db)
                return failed;
        }
        return readLiveSnapshot(*m_db, request);
    }));
}

} // namespace faultline
