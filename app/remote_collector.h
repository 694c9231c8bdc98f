#pragma once
// The window's view of a collector in another process (e.g. `faultline
// --headless` as a service): subscribed over the instance channel, it turns
// the collector's broadcasts back into batch summaries (live updates and
// notifications, like an in-process writer) and status figures.
#include "storage/event_writer.h"
#include "ui/main_window_context.h"

#include <QJsonObject>
#include <QObject>

class QLocalSocket;

namespace faultline {

class RemoteCollector : public QObject {
    Q_OBJECT
public:
    explicit RemoteCollector(QString socketPath, QObject *parent = nullptr);

    bool connectNow(int timeoutMs = 3000); // subscribes; false when nobody answers
    QJsonObject hello() const { return m_hello; } // who collects: mode, pid, collector address
    CollectorStatus status() const { return m_status; }
    bool isConnected() const;

    // What the collector process sends its viewers.
    static QJsonObject batchMessage(const BatchSummary &summary);
    static QJsonObject statusMessage(const CollectorStatus &status);

signals:
    void batchCommitted(const faultline::BatchSummary &summary);
    void disconnected();

private:
    void readLines();

    QString m_socketPath;
    QLocalSocket *m_socket;
    QJsonObject m_hello;
    CollectorStatus m_status;
};

} // namespace faultline
