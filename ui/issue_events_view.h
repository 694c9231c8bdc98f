#pragma once
// The Events tab: a search field in the issue's own query language and the
// issue's matching events, newest first, loaded as the table scrolls.
// Double-click (or Enter) opens an event; Compare puts two selected side by side.
#include "model/query/query.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace faultline {

class IssueEventsModel;
class QueryBar;
class StorageGateway;

class IssueEventsView : public QWidget {
    Q_OBJECT
public:
    explicit IssueEventsView(StorageGateway &storage, QWidget *parent = nullptr);

    void setIssue(qint64 issueId); // keeps the search typed for the previous issue
    void refresh(); // re-reads the first page (new events arrived)
    void filterBy(const QString &term); // adds `term` to the search, as a click on a tag value does
    void showMessage(const QString &text, const QString &toolTip = {}); // in the footer, until the rows change
    QueryBar *queryBar() const { return m_queryBar; }
    QTableView *table() const { return m_table; }
    IssueEventsModel *model() const { return m_model; }
    QPushButton *compareButton() const { return m_compare; }

signals:
    // The event's row id and when it was received (to find its place in the issue).
    void eventActivated(qint64 rowId, qint64 receivedMs);
    // Two selected events to compare, by event id, the older first.
    void compareRequested(const QString &olderEventId, const QString &newerEventId);

private:
    void apply(const Query &query);
    void updateStatus();

    IssueEventsModel *m_model;
    QueryBar *m_queryBar;
    QTableView *m_table;
    QLabel *m_status;
    QPushButton *m_compare;
};

} // namespace faultline
