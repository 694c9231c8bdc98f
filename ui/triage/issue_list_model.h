#pragma once
// The issue list as a table over storage's paged issue query. Rows are loaded
// a page at a time when the view asks for them (a window of pages is kept), so
// 50,000 issues cost one COUNT and a few LIMIT queries, not 50,000 rows.
// Each loaded page also reads its issues' 24-hour trends in one query. The
// reads go through IssueReader (storage/store_readers.h): SQLite or PostgreSQL.
// Every read runs on the storage gateway's reader; data() only looks at the
// pages held. The view says which rows it shows (requestRows): their pages are
// asked for, and a row whose page has not arrived reads as empty until it lands
// (dataChanged). A new filter or sort keeps the old rows on screen until its
// count and first page arrive, then resets. A reply for a filter, sort or
// refresh no longer shown is dropped.
#include "storage/issue_histogram.h"
#include "storage/issue_queries.h"
#include "storage/storage_error.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace faultline {

class IssueReader;
class StorageGateway;

class IssueListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        LevelColumn,
        TitleColumn,
        EventsColumn,
        TrendColumn,
        FirstSeenColumn,
        LastSeenColumn,
        StatusColumn,
        ColumnCount
    };
    enum Roles {
        IssueIdRole = Qt::UserRole + 1,
        ProjectIdRole,
        LevelRole,
        TitleRole,
        CulpritRole,
        StatusRole, // "unresolved" | "resolved" | "ignored"
        RegressedRole,
        CountRole,
        FirstSeenRole, // epoch ms
        LastSeenRole, // epoch ms
        TrendRole, // QList<qint64>: events per hour over the last 24 h, oldest first; empty without trends
        StatusDetailRole, // "ignored until 14:05", "regressed"…; empty for a plain unresolved issue
        UnhandledRole, // bool
        ProjectNameRole, // the issue's project when the list spans several ("All projects"), else empty
    };

    // What a re-read of the list needs, copied from the model so it can run on any thread.
    struct RefreshRequest {
        quint64 generation = 0; // the filter and sort it is for; a changed filter drops the result
        Query query; // effective: the search plus the project
        IssueSort sort = IssueSort::LastSeen;
        Qt::SortOrder order = Qt::DescendingOrder;
        qint64 nowMs = 0;
        bool withTrends = false;
        QList<int> pages; // the loaded pages, and the neighbours of pages with persistent indexes
    };
    struct Page {
        QList<IssueRow> rows;
        QHash<qint64, QList<qint64>> trends;
        bool trendsRead = false;
    };
    struct Snapshot {
        quint64 generation = 0;
        int total = 0;
        HistogramRange trendRange;
        QHash<int, Page> pages;
        QList<int> pageOrder; // as asked for: least recently used first
        QString error; // the count failed: the model keeps what it shows
    };

    // Reads through `storage`'s reader, which must outlive the model; without `withTrends`
    // the trend column stays empty.
    explicit IssueListModel(StorageGateway &storage, bool withTrends = true, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // The filter: the parsed search plus the project picked on the left (0 = all).
    void setFilter(const Query &query, qint64 projectId);
    Query effectiveQuery() const;
    IssueSort sortKey() const { return m_sort; }
    Qt::SortOrder sortOrder() const { return m_order; }
    int sortColumn() const;

    // Re-reads after new events or a status change, keeping selections and the current
    // row on the same issues (persistent indexes follow their issue id); applied when read.
    void refresh();
    // The same in three steps: the request (GUI thread), the read (any thread, its own
    // connection), and applying the result (GUI thread).
    RefreshRequest refreshRequest() const;
    static Snapshot readRefresh(const RefreshRequest &request, const IssueReader &issues);
    void applyRefresh(const Snapshot &snapshot);

    // Names for ProjectNameRole; shown only while the list is not narrowed to one project.
    void setProjectNames(const QHash<qint64, QString> &names);

    // The rows the view shows, from its scrolling and size: their pages not held are read
    // (dataChanged when they land), now and whenever the rows move, and the pages held are kept
    // over others when the window of pages is full.
    void requestRows(int first, int last);

    // A reset (new filter or sort) or a page is being read.
    bool isLoading() const { return m_resetPending || !m_pagesAsked.isEmpty(); }
    bool isResetting() const { return m_resetPending; } // the rows shown are the last filter's or sort's

    // 0 while the row's page is not held (see requestRows()).
    qint64 issueId(int row) const;
    QList<qint64> trend(int row) const;
    HistogramRange trendRange() const { return m_trendRange; }
    int trendQueries() const { return m_trendQueries; } // for tests: one per loaded page
    std::optional<IssueRow> issueAt(int row) const;
    int rowOfIssue(qint64 issueId) const; // -1 unless it is in a loaded page (asks for none)
    QString lastError() const { return m_error; }
    void setNowMs(qint64 nowMs) { m_nowMs = nowMs; } // tests pin "now"; 0 = the clock

    static constexpr int kPageSize = 200;

signals:
    void totalChanged(qint64 total);
    void loaded(); // isLoading() turned false: what was asked for is shown

private:
    const IssueRow *rowAt(int row) const; // null while its page is not held
    void requestShownRows(); // the pages of the rows shown that are not held
    void requestPage(int page);
    struct PageRead {
        Page page;
        QString error;
    };
    void installPage(int page, quint64 epoch, const StorageResult<PageRead> &read);
    void applyReset(const Snapshot &snapshot);
    void emitLoadedWhenIdle();
    static Page readPage(const RefreshRequest &request, int total, const HistogramRange &trendRange, int page,
        const IssueReader &issues, QString *error);
    void installTrends(const Page &page);
    RefreshRequest readRequest() const; // the filter and sort, no pages
    void reload(); // filter/sort changed: reset
    qint64 nowMs() const;
    void resetCache(); // pages and trends, and the trend window moves to now

    StorageGateway &m_storage;
    const bool m_withTrends;
    bool m_resetPending = false; // a new filter's or sort's first read is on its way
    quint64 m_pageEpoch = 0; // bumped whenever the rows move (reset, refresh): older page reads are dropped
    QSet<int> m_pagesAsked; // pages being read
    int m_shownFirst = 0; // the rows the view shows (requestRows), none at first
    int m_shownLast = -1;
    QHash<qint64, QString> m_projectNames;
    Query m_query;
    qint64 m_projectId = 0;
    quint64 m_generation = 0; // bumped by every reset (filter or sort changed)
    IssueSort m_sort = IssueSort::LastSeen;
    Qt::SortOrder m_order = Qt::DescendingOrder;
    int m_total = 0;
    qint64 m_nowMs = 0;
    QHash<int, QList<IssueRow>> m_pages;
    QList<int> m_pageUse; // most recently shown last, to evict
    QString m_error;
    HistogramRange m_trendRange;
    QHash<qint64, QList<qint64>> m_trendByIssue; // loaded pages' issues, until the next refresh
    int m_trendQueries = 0;
};

} // namespace faultline
