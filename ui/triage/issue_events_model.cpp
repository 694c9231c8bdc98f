#include "ui/triage/issue_events_model.h"

#include "storage/backend.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/triage/level_style.h"
#include "ui/triage/relative_time.h"

#include <QDateTime>
#include <QLocale>

namespace faultline {

QString userDisplay(const QList<Tag> &derivedTags)
{
    for (const Tag &tag : derivedTags) {
        if (tag.first != u"user")
            continue;
        const qsizetype colon = tag.second.indexOf(u':');
        return colon > 0 ? tag.second.mid(colon + 1) : tag.second;
    }
    return {};
}

IssueEventsModel::IssueEventsModel(StorageGateway &storage, QObject *parent)
    : QAbstractTableModel(parent)
    , m_storage(storage)
{
}

void IssueEventsModel::setIssue(qint64 issueId, const Query &query)
{
    ++m_generation; // answers for the previous issue or search must not land
    m_fetching = false;
    const bool another = issueId != m_issueId || issueId <= 0;
    m_issueId = issueId;
    m_query = query;
    if (issueId > 0)
        requestPage(0); // first: the reset below then reads as "reading", not as "no events"
    if (another) {
        // Another issue's rows must not stay clickable under this one's header.
        beginResetModel();
        m_rows.clear();
        m_error.clear();
        m_complete = true;
        endResetModel();
    }
}

void IssueEventsModel::setQuery(const Query &query) { setIssue(m_issueId, query); }

IssueEventsModel::Page IssueEventsModel::readPage(
    const EventReader &events, qint64 issueId, const Query &query, int offset)
{
    Page page;
    page.rows = events.searchInIssue(issueId, query, kPageSize, offset, 0, false, &page.error);
    return page;
}

void IssueEventsModel::requestPage(int offset)
{
    ++m_readsInFlight;
    m_fetching = true; // fetchMore waits: a page appended before the first arrives would misplace it
    m_storage.read([issueId = m_issueId, query = m_query, offset](
                       StorageBackend &backend) { return readPage(backend.events(), issueId, query, offset); },
        this,
        [this, generation = m_generation, offset](const StorageResult<Page> &page) {
            --m_readsInFlight;
            if (generation == m_generation)
                applyPage(page ? *page : Page { {}, storageErrorText(page.error()) }, offset);
            if (m_readsInFlight == 0)
                emit loaded();
        });
}

void IssueEventsModel::applyPage(const Page &page, int offset)
{
    m_fetching = false;
    m_error = page.error;
    m_complete = page.rows.size() < kPageSize || !page.error.isEmpty();
    if (offset == 0) {
        beginResetModel();
        m_rows = page.rows;
        endResetModel();
    } else if (!page.rows.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.rows.size() - 1));
        m_rows.append(page.rows);
        endInsertRows();
    }
}

const EventRow *IssueEventsModel::eventAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int IssueEventsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int IssueEventsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

bool IssueEventsModel::canFetchMore(const QModelIndex &parent) const { return !parent.isValid() && !m_complete; }

void IssueEventsModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_complete || m_fetching)
        return;
    requestPage(int(m_rows.size()));
}

QVariant IssueEventsModel::data(const QModelIndex &index, int role) const
{
    const EventRow *row = index.isValid() ? eventAt(index.row()) : nullptr;
    if (!row)
        return {};
    if (role == RowIdRole)
        return row->rowId;
    if (role == ReceivedMsRole)
        return row->receivedMs;
    const QString message = !row->message.isEmpty() ? row->message
        : row->exceptionType.isEmpty()              ? row->title
                                                    : row->exceptionType + QStringLiteral(": ") + row->exceptionValue;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(row->receivedMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case ReleaseColumn:
            return row->release;
        case EnvironmentColumn:
            return row->environment;
        case UserColumn:
            return userDisplay(row->derivedTags);
        case LevelColumn:
            return row->level;
        case HttpStatusColumn:
            return row->httpStatus > 0 ? QVariant(row->httpStatus) : QVariant();
        case MessageColumn:
            return message.simplified();
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case TimeColumn:
            return tr("Received %1 (%2)")
                .arg(absoluteTime(row->receivedMs), relativeTime(row->receivedMs, QDateTime::currentMSecsSinceEpoch()));
        case UserColumn:
            for (const Tag &tag : row->derivedTags)
                if (tag.first == u"user")
                    return tag.second;
            return {};
        case MessageColumn:
            return message;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ForegroundRole && index.column() == LevelColumn)
        return levelColor(row->level);
    if (role == Qt::TextAlignmentRole && index.column() == HttpStatusColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant IssueEventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ReleaseColumn:
        return tr("Release");
    case EnvironmentColumn:
        return tr("Environment");
    case UserColumn:
        return tr("User");
    case LevelColumn:
        return tr("Level");
    case HttpStatusColumn:
        return tr("HTTP");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

} // namespace faultline
