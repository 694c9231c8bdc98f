#include "ui/triage/live_refresh.h"

#include "storage/backend.h"
#include "storage/project_store.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"

namespace faultline {

LiveSnapshot readLiveSnapshot(StorageBackend &backend, const LiveRefreshRequest &request)
{
    const IssueReader &issues = backend.issues();
    LiveSnapshot snapshot;
    snapshot.serial = request.serial;
    snapshot.issues = IssueListModel::readRefresh(request.issues, issues);
    snapshot.projects = ProjectListModel::read(backend.projects(), issues, request.projectCounts);
    if (request.detailIssueId > 0)
        if (const StorageResult<IssueRow> issue = issues.byId(request.detailIssueId))
            snapshot.detail = readIssueActivity(*issue, backend.events(), issues, request.detailChartRange);
    if (request.pagesProject)
        snapshot.pages = PagesModel::read(backend.pages(), *request.pagesProject);
    const auto readNews = [&](const QList<qint64> &ids, AlertTrigger trigger) {
        for (qint64 id : ids) {
            if (snapshot.news.size() >= kMaxNewsPerRefresh)
                return;
            if (const StorageResult<AlertIssue> issue = issues.news(id))
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
    m_storage.read([request](StorageBackend &backend) { return readLiveSnapshot(backend, request); }, this,
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
