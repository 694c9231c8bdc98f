#pragma once
// The status bar's live figures: where SDKs send to (click copies the DSN),
// events per second, rejected requests (click opens the dropped-events view), the database size on disk, and
// "Pruning… 40%" while retention runs.
#include "ui/main_window_context.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace faultline {

class CollectorStatusBar : public QWidget {
    Q_OBJECT
public:
    // The database size comes from the file at context.dbPath (stat(), no connection).
    explicit CollectorStatusBar(MainWindowContext context, QWidget *parent = nullptr);

    void pollNow();
    double eventsPerSecond() const { return m_rate; }
    QString rateText() const;
    QString pruningText() const; // "" when no prune is running
    QString refusing() const { return m_refusing; } // why the collector refuses every event; "" = it does not
    int refusingStatus() const { return m_refusingStatus; }

signals:
    void addressClicked();
    void rejectedClicked(); // opens the dropped-events view
    void refusingChanged(const QString &problem, int status); // see CollectorStatus::refusing; "" = not any more

private:
    void showPruneProgress(qint64 done, qint64 total);

    MainWindowContext m_context;
    QPushButton *m_address;
    QLabel *m_rateLabel;
    QPushButton *m_rejected;
    QLabel *m_size;
    QLabel *m_pruning;
    QTimer m_poll;
    QElapsedTimer m_sinceLast;
    quint64 m_lastAccepted = 0;
    bool m_havePrevious = false;
    double m_rate = 0;
    int m_pollsSinceSize = 0;
    QString m_refusing;
    int m_refusingStatus = 0;
};

} // namespace faultline
