// IssueDetailView's reads: the issue's activity (count, chart, summary) and
// one of its events (ui/triage/issue_detail_snapshot.h), the chart at another
// span and two events to compare. Each runs on the storage gateway's reader
// through the backend's EventReader / IssueReader (SQLite or PostgreSQL alike)
// and returns a plain value; the GUI thread only shows it, unless a newer read
// of the same kind was asked for meanwhile.
#include "ui/issue_detail_view.h"

#include "model/event_parser.h"
#include "storage/backend.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/event_compare_dialog.h"
#include "ui/issue_events_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/triage/issue_events_model.h"

#include <QDateTime>
#include <QTabWidget>

namespace faultline {

namespace {

// Two events of one project, parsed in full for the comparison; `parsed` false when one does not parse.
struct ComparedEvents {
    EventRow older;
    EventRow newer;
    Event left;
    Event right;
    bool parsed = false;
};

} // namespace

bool IssueDetailView::isLoading() const { return m_readsInFlight > 0 || m_eventsView->model()->isLoading(); }

template<typename Work, typename Apply> void IssueDetailView::read(quint64 &generation, Work work, Apply apply)
{
    ++m_readsInFlight;
    m_storage.read(std::move(work), this,
        [this, &generation, asked = ++generation, apply = std::move(apply)](const auto &answer) mutable {
            --m_readsInFlight;
            if (asked == generation)
                apply(answer);
            readFinished();
        });
}

void IssueDetailView::readFinished()
{
    if (!isLoading())
        emit loaded();
}

void IssueDetailView::requestActivity(const IssueRow &issue)
{
    read(
        m_activityGeneration,
        [issue, range = IssueHistogramView::rangeFor(m_histogram->span(), QDateTime::currentMSecsSinceEpoch())](
            StorageBackend &backend) { return readIssueActivity(issue, backend.events(), backend.issues(), range); },
        [this, issue](const StorageResult<IssueActivity> &activity) {
            applyUpdate(activity ? *activity : IssueActivity { issue, 0, {}, {}, storageErrorText(activity.error()) });
        });
}

void IssueDetailView::requestEvent(const EventTarget &target)
{
    m_eventRequested = true;
    read(
        m_eventGeneration, [target](StorageBackend &backend) { return readIssueEvent(backend.events(), target); },
        [this, target](const StorageResult<EventSnapshot> &snapshot) {
            m_eventRequested = false;
            if (!m_issue || m_issue->id != target.issueId)
                return;
            if (snapshot) {
                showSnapshot(*snapshot);
                return;
            }
            EventSnapshot failed;
            failed.issueId = target.issueId;
            failed.count = m_eventCount;
            failed.number = m_eventNumber;
            failed.error = storageErrorText(snapshot.error());
            showSnapshot(failed);
        });
}

void IssueDetailView::reloadChart()
{
    if (!m_issue)
        return;
    const HistogramRange range = IssueHistogramView::rangeFor(m_histogram->span(), QDateTime::currentMSecsSinceEpoch());
    read(
        m_chartGeneration,
        [issueId = m_issue->id, range](StorageBackend &backend) {
            QString error;
            Histogram histogram = backend.events().histogram(issueId, range, &error);
            return std::make_pair(histogram, error);
        },
        [this, issueId = m_issue->id](const StorageResult<std::pair<Histogram, QString>> &read) {
            if (!m_issue || m_issue->id != issueId)
                return;
            const QString error = read ? read->second : storageErrorText(read.error());
            if (!error.isEmpty())
                showFacts(*m_issue, error);
            else
                m_histogram->setHistogram(read->first, m_histogram->releaseMarkers());
        });
}

void IssueDetailView::showEventRow(qint64 rowId, qint64 receivedMs)
{
    if (!m_issue)
        return;
    m_tabs->setCurrentWidget(m_eventTab);
    requestEvent(EventTarget { m_issue->id, 0, rowId, receivedMs });
}

void IssueDetailView::compareEvents(const QString &olderEventId, const QString &newerEventId)
{
    if (!m_issue)
        return;
    read(
        m_compareGeneration,
        [olderEventId, newerEventId, projectId = m_issue->projectId](
            StorageBackend &backend) -> StorageResult<ComparedEvents> {
            StorageResult<EventRow> older = backend.events().byEventId(olderEventId, projectId, true);
            if (!older)
                return older.error();
            StorageResult<EventRow> newer = backend.events().byEventId(newerEventId, projectId, true);
            if (!newer)
                return newer.error();
            ComparedEvents compared { std::move(*older), std::move(*newer), {}, {} };
            Result<Event> left = parseEventJson(compared.older.rawJson, EventDetail::Full);
            Result<Event> right = parseEventJson(compared.newer.rawJson, EventDetail::Full);
            if (!left.ok() || !right.ok())
                return compared;
            compared.left = std::move(left).value();
            compared.right = std::move(right).value();
            compared.parsed = true;
            return compared;
        },
        [this](const StorageResult<ComparedEvents> &read) {
            if (!read || !read->parsed) {
                const bool unreadable = read || read.error().kind == StorageError::Kind::NotFound;
                m_eventsView->showMessage(unreadable
                        ? tr("Could not read both events to compare them.")
                        : tr("Could not compare: %1").arg(storageErrorShortText(read.error())),
                    unreadable ? QString() : storageErrorText(read.error()));
                return;
            }
            auto title = [](const EventRow &row) {
                return tr("%1 · %2").arg(row.eventId.left(8),
                    QDateTime::fromMSecsSinceEpoch(row.receivedMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
            };
            auto *dialog
                = new EventCompareDialog(read->left, title(read->older), read->right, title(read->newer), this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
        });
}

} // namespace faultline
