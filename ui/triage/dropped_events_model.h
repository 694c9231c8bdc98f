#pragma once
// The dropped-events table: one row per project and reason (and category, for
// what SDKs reported), with counts over the last hour, day, week and all that
// retention keeps, and the hourly trend of the last day.
#include "storage/dropped_events.h"

#include <QAbstractTableModel>
#include <QHash>

namespace faultline {

class DroppedEventsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ProjectColumn,
        ReasonColumn,
        HourColumn,
        DayColumn,
        WeekColumn,
        KeptColumn,
        TrendColumn,
        ColumnCount
    };
    enum Role {
        HourlyRole = Qt::UserRole + 1, // QList<qint64>, oldest hour first
        ReasonKeyRole, // "too_large", "client:queue_overflow"
    };

    explicit DroppedEventsModel(QObject *parent = nullptr);

    void setRows(QList<DropSummary> rows, QHash<qint64, QString> projectNames);
    const DropSummary *summaryAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString reasonTitle(const DropSummary &row); // "Too large", "SDK dropped: queue overflow (error)"
    static QString reasonHelp(const QString &reason); // what it means and what to do

private:
    QList<DropSummary> m_rows;
    QHash<qint64, QString> m_projectNames;
};

} // namespace faultline
