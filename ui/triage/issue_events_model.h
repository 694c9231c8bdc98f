#pragma once
// The Events tab's rows: an issue's events matching a query, newest first,
// fetched a page at a time as the table scrolls (an issue may hold 100,000).
// Pages are read on the storage gateway's reader (either backend); an answer
// for another issue, search or refresh than the latest asked for is dropped.
#include "model/query/query.h"
#include "storage/event_queries.h"

#include <QAbstractTableModel>

namespace faultline {

class EventReader;
class StorageGateway;

class IssueEventsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        ReleaseColumn,
        EnvironmentColumn,
        UserColumn,
        LevelColumn,
        HttpStatusColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role { RowIdRole = Qt::UserRole + 1, ReceivedMsRole };

    // `storage` must outlive the model.
    explicit IssueEventsModel(StorageGateway &storage, QObject *parent = nullptr);

    // The first page of the issue's events matching `query` (0 = none). Another issue's rows go at
    // once; the same issue's stay on screen until the new page arrives (a refresh does not flicker).
    void setIssue(qint64 issueId, const Query &query = {});
    void setQuery(const Query &query);
    qint64 issueId() const { return m_issueId; }
    const EventRow *eventAt(int row) const;
    QString lastError() const { return m_error; }
    bool isLoading() const { return m_readsInFlight > 0; }

    // One page as the reader thread reads it.
    struct Page {
        QList<EventRow> rows;
        QString error;
    };
    static Page readPage(const EventReader &events, qint64 issueId, const Query &query, int offset);

    static constexpr int kPageSize = 100;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loaded(); // isLoading() turned false: the rows (or lastError()) are what was asked for

private:
    void requestPage(int offset);
    void applyPage(const Page &page, int offset);

    StorageGateway &m_storage;
    qint64 m_issueId = 0;
    Query m_query;
    QList<EventRow> m_rows;
    bool m_complete = true;
    bool m_fetching = false; // a next page is on its way
    quint64 m_generation = 0; // which issue, search and refresh the answers are for
    int m_readsInFlight = 0;
    QString m_error;
};

// The `user` tag of an event as a person reads it: "alice@example.com" for "email:alice@example.com".
QString userDisplay(const QList<Tag> &derivedTags);

} // namespace faultline
