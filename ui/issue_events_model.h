#pragma once
// The Events tab's rows: an issue's events matching a query, newest first,
// fetched a page at a time as the table scrolls (an issue may hold 100,000).
#include "model/query/query.h"
#include "storage/event_queries.h"

#include <QAbstractTableModel>

namespace faultline {

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

    explicit IssueEventsModel(EventQueries *events, QObject *parent = nullptr);

    // Resets to the first page of the issue's events matching `query` (0 = none).
    void setIssue(qint64 issueId, const Query &query = {});
    void setQuery(const Query &query);
    qint64 issueId() const { return m_issueId; }
    const EventRow *eventAt(int row) const;
    QString lastError() const { return m_error; }

    static constexpr int kPageSize = 100;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    QList<EventRow> readPage(int offset);

    EventQueries *m_events;
    qint64 m_issueId = 0;
    Query m_query;
    QList<EventRow> m_rows;
    bool m_complete = true;
    QString m_error;
};

// The `user` tag of an event as a person reads it: "alice@example.com" for "email:alice@example.com".
QString userDisplay(const QList<Tag> &derivedTags);

} // namespace faultline
