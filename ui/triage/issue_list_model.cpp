#include "ui/triage/issue_list_model.h"

#include "storage/backend.h"
#include "storage/issue_status.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/triage/plural.h"
#include "ui/triage/relative_time.h"

#include <QDateTime>

#include <algorithm>

namespace faultline {

namespace {
constexpr int kMaxCachedPages = 16; // ~3,000 rows: a few screens each way
}

IssueListModel::IssueListModel(StorageGateway &storage, bool withTrends, QObject *parent)
    : QAbstractTableModel(parent)
    , m_storage(storage)
    , m_withTrends(withTrends)
{
    reload();
}

int IssueListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : m_total; }

int IssueListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

qint64 IssueListModel::nowMs() const { return m_nowMs > 0 ? m_nowMs : QDateTime::currentMSecsSinceEpoch(); }

Query IssueListModel::effectiveQuery() const { return restrictedToProject(m_query, m_projectId); }

IssueListModel::Page IssueListModel::readPage(const RefreshRequest &request, int total,
    const HistogramRange &trendRange, int page, const IssueReader &issues, QString *error)
{
    IssueListRequest list;
    list.query = request.query;
    list.sort = request.sort;
    list.nowMs = request.nowMs;
    list.limit = kPageSize;
    list.offset = page * kPageSize;
    const bool reversed = request.order == Qt::AscendingOrder;
    if (reversed) {
        // Storage sorts newest/largest first only: read the mirrored window and flip it.
        const int end = total - page * kPageSize; // exclusive, in descending positions
        const int begin = qMax(0, end - kPageSize);
        list.offset = begin;
        list.limit = end - begin;
    }
    Page result;
    if (list.limit <= 0)
        return result;
    result.rows = issues.list(list, error);
    if (reversed)
        std::reverse(result.rows.begin(), result.rows.end());
    if (request.withTrends && !result.rows.isEmpty()) {
        QList<qint64> ids;
        ids.reserve(result.rows.size());
        for (const IssueRow &row : result.rows)
            ids.append(row.id);
        QString trendError;
        result.trends = issues.trends(ids, trendRange, &trendError);
        result.trendsRead = true;
    }
    return result;
}

void IssueListModel::requestRows(int first, int last)
{
    m_shownFirst = first;
    m_shownLast = last;
    requestShownRows();
}

void IssueListModel::requestShownRows()
{
    const int first = qMax(0, m_shownFirst);
    const int last = qMin(m_shownLast, m_total - 1);
    for (int page = first / kPageSize; first <= last && page <= last / kPageSize; ++page) {
        if (!m_pages.contains(page)) {
            requestPage(page);
        } else if (m_pageUse.last() != page) {
            m_pageUse.removeOne(page);
            m_pageUse.append(page);
        }
    }
}

void IssueListModel::requestPage(int page)
{
    // While a reset is on its way the rows shown are the old filter's: nothing to page in for them.
    if (m_resetPending || m_pagesAsked.contains(page))
        return;
    m_pagesAsked.insert(page);
    m_storage.read(
        [request = readRequest(), total = m_total, range = m_trendRange, page](StorageBackend &backend) {
            PageRead read;
            read.page = readPage(request, total, range, page, backend.issues(), &read.error);
            return read;
        },
        this,
        [this, page, epoch = m_pageEpoch](const StorageResult<PageRead> &read) { installPage(page, epoch, read); });
}

void IssueListModel::installPage(int page, quint64 epoch, const StorageResult<PageRead> &read)
{
    if (epoch != m_pageEpoch)
        return; // the rows moved since it was asked for, and the rows shown were asked for again
    m_pagesAsked.remove(page);
    if (!read)
        m_error = storageErrorText(read.error());
    else if (!read->error.isEmpty())
        m_error = read->error;
    // A page that fails reads as empty (rows without data) rather than being asked for forever.
    m_pages.insert(page, read ? read->page.rows : QList<IssueRow>());
    m_pageUse.removeOne(page);
    m_pageUse.append(page);
    while (m_pageUse.size() > kMaxCachedPages)
        m_pages.remove(m_pageUse.takeFirst());
    if (read)
        installTrends(read->page);
    const int first = page * kPageSize;
    const int last = qMin(m_total, first + kPageSize) - 1;
    if (last >= first)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    emitLoadedWhenIdle();
}

void IssueListModel::emitLoadedWhenIdle()
{
    if (!isLoading())
        emit loaded();
}

void IssueListModel::installTrends(const Page &loaded)
{
    if (loaded.trendsRead)
        ++m_trendQueries;
    for (auto it = loaded.trends.cbegin(); it != loaded.trends.cend(); ++it)
        m_trendByIssue.insert(it.key(), it.value());
}

void IssueListModel::resetCache()
{
    m_pages.clear();
    m_pageUse.clear();
    m_trendByIssue.clear();
    m_trendRange = HistogramRange::lastHours(nowMs());
}

QList<qint64> IssueListModel::trend(int row) const
{
    const IssueRow *issue = rowAt(row);
    return issue ? m_trendByIssue.value(issue->id) : QList<qint64>();
}

const IssueRow *IssueListModel::rowAt(int row) const
{
    if (row < 0 || row >= m_total)
        return nullptr;
    const auto it = m_pages.constFind(row / kPageSize);
    if (it == m_pages.cend())
        return nullptr;
    const int inPage = row % kPageSize;
    return inPage < it->size() ? &it->at(inPage) : nullptr;
}

qint64 IssueListModel::issueId(int row) const
{
    const IssueRow *issue = rowAt(row);
    return issue ? issue->id : 0;
}

std::optional<IssueRow> IssueListModel::issueAt(int row) const
{
    const IssueRow *issue = rowAt(row);
    return issue ? std::optional<IssueRow>(*issue) : std::nullopt;
}

int IssueListModel::rowOfIssue(qint64 issueId) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        for (int i = 0; i < it->size(); ++i)
            if (it->at(i).id == issueId)
                return it.key() * kPageSize + i;
    return -1;
}

QVariant IssueListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const IssueRow *issue = rowAt(index.row());
    if (!issue)
        return {};
    switch (role) {
    case IssueIdRole:
        return issue->id;
    case ProjectIdRole:
        return issue->projectId;
    case LevelRole:
        return issue->level;
    case TitleRole:
        return issue->title;
    case CulpritRole:
        return issue->culprit;
    case StatusRole:
        return issue->status;
    case RegressedRole:
        return issue->regressed;
    case CountRole:
        return issue->count;
    case FirstSeenRole:
        return issue->firstSeenMs;
    case LastSeenRole:
        return issue->lastSeenMs;
    case TrendRole:
        return QVariant::fromValue(m_trendByIssue.value(issue->id));
    case StatusDetailRole:
        return statusDetail(*issue, nowMs());
    case UnhandledRole:
        return issue->unhandled;
    case ProjectNameRole:
        return m_projectId > 0 || m_projectNames.size() < 2 ? QString() : m_projectNames.value(issue->projectId);
    case Qt::DisplayRole:
        switch (index.column()) {
        case LevelColumn:
            return issue->level;
        case TitleColumn:
            return issue->culprit.isEmpty() ? issue->title : issue->title + QLatin1Char('\n') + issue->culprit;
        case EventsColumn:
            return QLocale().toString(issue->count);
        case FirstSeenColumn:
            return relativeTime(issue->firstSeenMs, nowMs());
        case LastSeenColumn:
            return relativeTime(issue->lastSeenMs, nowMs());
        case StatusColumn:
            // Only what needs attention or explains an absence is marked; "unresolved" is the norm.
            if (issue->status == QLatin1String("unresolved"))
                return issue->regressed                               ? tr("regressed")
                    : issue->substatus == QLatin1String("escalating") ? tr("escalating")
                                                                      : QString();
            return issue->status;
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case LevelColumn:
            return issue->level;
        case TitleColumn:
            return issue->culprit.isEmpty() ? issue->title : issue->title + QLatin1Char('\n') + issue->culprit;
        case TrendColumn: {
            qint64 total = 0;
            qint64 peak = 0;
            for (qint64 count : m_trendByIssue.value(issue->id)) {
                total += count;
                peak = qMax(peak, count);
            }
            return countText(total, "%1 event in the last 24 hours", "%1 events in the last 24 hours")
                + tr(", at most %1 in an hour").arg(QLocale().toString(peak));
        }
        case StatusColumn:
            return statusDetail(*issue, nowMs());
        case FirstSeenColumn:
            return absoluteTime(issue->firstSeenMs);
        case LastSeenColumn:
            return absoluteTime(issue->lastSeenMs);
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == EventsColumn)
            return int(Qt::AlignCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    }
    return {};
}

QVariant IssueListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case LevelColumn:
            return QString();
        case TitleColumn:
            return tr("Issue");
        case EventsColumn:
            return tr("Events");
        case TrendColumn:
            return tr("24 h");
        case FirstSeenColumn:
            return tr("First seen");
        case LastSeenColumn:
            return tr("Last seen");
        case StatusColumn:
            return tr("Status");
        }
    }
    if (role == Qt::ToolTipRole && section == LevelColumn)
        return tr("Level");
    if (role == Qt::ToolTipRole && section == TrendColumn)
        return tr("Events per hour over the last 24 hours");
    return {};
}

int IssueListModel::sortColumn() const
{
    switch (m_sort) {
    case IssueSort::FirstSeen:
        return FirstSeenColumn;
    case IssueSort::Count:
        return EventsColumn;
    case IssueSort::LastSeen:
        break;
    }
    return LastSeenColumn;
}

void IssueListModel::sort(int column, Qt::SortOrder order)
{
    IssueSort sort = m_sort;
    if (column == LastSeenColumn)
        sort = IssueSort::LastSeen;
    else if (column == FirstSeenColumn)
        sort = IssueSort::FirstSeen;
    else if (column == EventsColumn)
        sort = IssueSort::Count;
    else
        return; // other columns have no index to sort by
    if (sort == m_sort && order == m_order)
        return;
    m_sort = sort;
    m_order = order;
    reload();
}

void IssueListModel::setProjectNames(const QHash<qint64, QString> &names)
{
    if (names == m_projectNames)
        return;
    m_projectNames = names;
    if (m_total > 0)
        emit dataChanged(index(0, TitleColumn), index(m_total - 1, TitleColumn), { ProjectNameRole });
}

void IssueListModel::setFilter(const Query &query, qint64 projectId)
{
    m_query = query;
    m_projectId = projectId;
    reload();
}

void IssueListModel::reload()
{
    ++m_generation; // a read for the old filter or sort must not land on the new one
    m_resetPending = true;
    // The count and the first page in one read: the reset shows rows, not an empty list first.
    RefreshRequest request = readRequest();
    request.pages = { 0 };
    m_storage.read([request](StorageBackend &backend) { return readRefresh(request, backend.issues()); }, this,
        [this, generation = m_generation](const StorageResult<Snapshot> &read) {
            Snapshot snapshot;
            snapshot.generation = generation;
            if (read)
                snapshot = *read;
            else
                snapshot.error = storageErrorText(read.error());
            applyReset(snapshot);
        });
}

void IssueListModel::applyReset(const Snapshot &snapshot)
{
    if (snapshot.generation != m_generation)
        return; // a newer filter or sort is on its way
    beginResetModel();
    m_resetPending = false;
    ++m_pageEpoch;
    m_pagesAsked.clear();
    resetCache();
    m_error = snapshot.error;
    m_total = snapshot.error.isEmpty() ? snapshot.total : 0;
    m_trendRange = snapshot.trendRange;
    for (int page : snapshot.pageOrder) {
        m_pages.insert(page, snapshot.pages[page].rows);
        m_pageUse.append(page);
        installTrends(snapshot.pages[page]);
    }
    endResetModel();
    requestShownRows();
    emit totalChanged(m_total);
    emitLoadedWhenIdle();
}

void IssueListModel::refresh()
{
    m_storage.read(
        [request = refreshRequest()](StorageBackend &backend) { return readRefresh(request, backend.issues()); }, this,
        [this](const StorageResult<Snapshot> &read) {
            if (read)
                applyRefresh(*read);
            else
                m_error = storageErrorText(read.error());
        });
}

IssueListModel::RefreshRequest IssueListModel::readRequest() const
{
    RefreshRequest request;
    request.generation = m_generation;
    request.query = effectiveQuery();
    request.sort = m_sort;
    request.order = m_order;
    request.nowMs = nowMs();
    request.withTrends = m_withTrends;
    return request;
}

IssueListModel::RefreshRequest IssueListModel::refreshRequest() const
{
    RefreshRequest request = readRequest();
    // While a new filter's first read is on its way, the pages held are the old filter's: this
    // read lands after that one and must keep what it brings, the first page.
    request.pages = m_resetPending ? QList<int> { 0 } : m_pageUse;
    // A selected issue moves by a few rows between refreshes (new issues above it): it is
    // looked for in its page and the neighbours.
    for (const QModelIndex &index : persistentIndexList()) {
        const int page = index.row() / kPageSize;
        for (int p = qMax(0, page - 1); p <= page + 1; ++p)
            if (!request.pages.contains(p))
                request.pages.append(p);
    }
    return request;
}

IssueListModel::Snapshot IssueListModel::readRefresh(const RefreshRequest &request, const IssueReader &issues)
{
    Snapshot snapshot;
    snapshot.generation = request.generation;
    snapshot.total = int(issues.count(request.query, request.nowMs, &snapshot.error));
    if (!snapshot.error.isEmpty())
        return snapshot;
    snapshot.trendRange = HistogramRange::lastHours(request.nowMs);
    for (int page : request.pages) {
        if (page * kPageSize >= snapshot.total)
            continue;
        QString error; // a page that fails reads as empty, as when the view loads it
        snapshot.pages.insert(page, readPage(request, snapshot.total, snapshot.trendRange, page, issues, &error));
        snapshot.pageOrder.append(page);
    }
    return snapshot;
}

void IssueListModel::applyRefresh(const Snapshot &snapshot)
{
    if (snapshot.generation != m_generation)
        return; // read for a filter or sort no longer shown; the reset already re-read
    if (m_resetPending) {
        applyReset(snapshot); // read after the filter changed: it is that filter's first answer
        return;
    }
    if (!snapshot.error.isEmpty()) {
        m_error = snapshot.error;
        return; // keep showing what we had rather than blanking the list
    }
    m_error.clear();
    const int newTotal = snapshot.total;

    // Row count first (at the end, where it moves no persistent index), then the re-read as a
    // layout change, so views keep their selection, current row and scroll offset.
    if (newTotal > m_total) {
        beginInsertRows({}, m_total, newTotal - 1);
        m_total = newTotal;
        endInsertRows();
    }

    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    ++m_pageEpoch; // pages asked for before this read may sit at other rows now
    m_pagesAsked.clear();
    const QHash<int, QList<IssueRow>> oldPages = m_pages;
    const int oldTotal = m_total;
    m_pages.clear();
    m_pageUse.clear();
    m_trendByIssue.clear();
    m_trendRange = snapshot.trendRange;
    for (int page : snapshot.pageOrder) {
        const Page &loaded = snapshot.pages[page];
        m_pages.insert(page, loaded.rows);
        m_pageUse.append(page);
        installTrends(loaded);
    }
    m_total = newTotal;
    const QModelIndexList persistent = persistentIndexList();
    QModelIndexList from;
    QModelIndexList to;
    for (const QModelIndex &index : persistent) {
        const int oldRow = index.row();
        const int page = oldRow / kPageSize;
        const auto oldPage = oldPages.constFind(page);
        const qint64 id = oldPage != oldPages.cend() && oldRow % kPageSize < oldPage->size()
            ? oldPage->at(oldRow % kPageSize).id
            : 0;
        int newRow = -1;
        bool searched = false;
        for (int p = qMax(0, page - 1); id != 0 && p <= page + 1 && newRow < 0; ++p) {
            const auto rows = m_pages.constFind(p);
            if (rows == m_pages.cend())
                continue;
            searched = true;
            for (int i = 0; i < rows->size(); ++i)
                if (rows->at(i).id == id) {
                    newRow = p * kPageSize + i;
                    break;
                }
        }
        // Not loaded before (or paged in after the read began): nothing known to follow, keep
        // the position.
        if (!searched && oldRow < m_total)
            newRow = oldRow;
        from.append(index);
        to.append(newRow >= 0 ? createIndex(newRow, index.column()) : QModelIndex());
    }
    // Rows past the new end must not keep indexes before they are removed.
    m_total = qMax(newTotal, oldTotal);
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);

    if (newTotal < m_total) {
        beginRemoveRows({}, newTotal, m_total - 1);
        m_total = newTotal;
        endRemoveRows();
        if (m_order == Qt::AscendingOrder) {
            // Mirrored pages read while the count was stale are misaligned: read them again.
            resetCache();
            emit dataChanged(index(0, 0), index(qMax(0, m_total - 1), ColumnCount - 1));
        }
    }
    requestShownRows(); // pages the read did not cover, or dropped as misaligned
    emit totalChanged(m_total);
    emitLoadedWhenIdle();
}

} // namespace faultline
