#pragma once
// Dropped events (Sentry's "Stats" for a desktop): what the collector refused
// and what SDKs reported dropping, per project and reason, over time, with the
// last example of each: when, from where, the request, its size, the exact
// answer and the body's first bytes. Opened from the status bar's "N rejected".
#include "storage/dropped_events.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableView;

namespace faultline {

class DroppedEventsModel;
class StorageGateway;

class DroppedEventsView : public QWidget {
    Q_OBJECT
public:
    explicit DroppedEventsView(StorageGateway &storage, QWidget *parent = nullptr);

    // Reads on the storage reader (refreshed() when shown); the tables hold at most
    // projects × reasons × kept hours, a few thousand small rows.
    void refresh();
    QTableView *table() const { return m_table; }
    DroppedEventsModel *model() const { return m_model; }
    QString summaryText() const;
    QString exampleText() const;

    // A refused body's first bytes for people: printable ASCII and line breaks as
    // they are, every other byte as \xNN.
    static QString printableHead(const QByteArray &head);

signals:
    void refreshed();

private:
    void showRows(QList<DropSummary> rows, const QHash<qint64, QString> &names);
    void showExample();

    StorageGateway &m_storage;
    bool m_reading = false;
    DroppedEventsModel *m_model;
    QTableView *m_table;
    QLabel *m_summary;
    QLabel *m_help;
    QPlainTextEdit *m_example;
};

} // namespace faultline
