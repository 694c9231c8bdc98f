#pragma once
// The main window's refresh after new events, as plain values: what to read
// (taken from the models on the GUI thread), the read itself (one function,
// any thread, through the StorageBackend it is given: SQLite or PostgreSQL), and LiveReader, which runs
// that read on the storage gateway's reader thread so the GUI thread only
// applies the results.
#include "ui/triage/issue_detail_snapshot.h"
#include "ui/triage/issue_list_model.h"
#include "ui/triage/issue_news.h"
#include "ui/triage/pages_model.h"
#include "ui/triage/project_list_model.h"

#include <QObject>

#include <optional>

namespace faultline {

class StorageBackend;
class StorageGateway;

struct LiveRefreshRequest {
    quint64 serial = 0; // which refresh this is; a newer one makes it stale
    IssueListModel::RefreshRequest issues;
    QHash<qint64, ProjectListModel::Counts> projectCounts; // what the project list knows
    qint64 detailIssueId = 0; // the open issue, 0 = none
    HistogramRange detailChartRange; // its chart's span (IssueHistogramView::rangeFor)
    std::optional<qint64> pagesProject; // the Pages tab's project while it is shown
    // What the committed batches brought, to notify about (and list in the tray) once shown.
    QList<qint64> newIssueIds;
    QList<qint64> regressedIssueIds;
    QList<qint64> escalatedIssueIds;
};

struct LiveSnapshot {
    quint64 serial = 0;
    IssueListModel::Snapshot issues;
    ProjectListModel::Snapshot projects;
    std::optional<IssueActivity> detail; // unset when the issue is gone
    std::optional<PagesModel::Snapshot> pages;
    QList<IssueNews> news; // the request's issues as the notification rules need them
    QString error; // the read could not run at all (no connection)
};

LiveSnapshot readLiveSnapshot(StorageBackend &backend, const LiveRefreshRequest &request);

// Past this many new, regressed and escalated issues in one refresh, the rest are not read for
// notifying: a burst of thousands folds into one notification anyway (IssueNotifier::kMaxPerMinute).
inline constexpr int kMaxNewsPerRefresh = 100;

class LiveReader : public QObject {
    Q_OBJECT
public:
    // Reads on the storage gateway's reader thread; a read in flight when this goes is dropped.
    explicit LiveReader(StorageGateway &storage, QObject *parent = nullptr);

    bool isBusy() const { return m_busy; }
    // One read at a time: call only when not busy.
    void start(const LiveRefreshRequest &request);

signals:
    void finished(const faultline::LiveSnapshot &snapshot);

private:
    StorageGateway &m_storage;
    bool m_busy = false;
};

} // namespace faultline
