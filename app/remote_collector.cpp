#include "app/remote_collector.h"

#include "app/instance_channel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>

namespace faultline {

namespace {

QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    return array;
}

QList<qint64> idList(const QJsonValue &value)
{
    QList<qint64> ids;
    for (const QJsonValue &id : value.toArray())
        ids.append(id.toInteger());
    return ids;
}

} // namespace

RemoteCollector::RemoteCollector(QString socketPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(std::move(socketPath))
    , m_socket(new QLocalSocket(this))
{
    connect(m_socket, &QLocalSocket::readyRead, this, &RemoteCollector::readLines);
    connect(m_socket, &QLocalSocket::disconnected, this, &RemoteCollector::disconnected);
}

bool RemoteCollector::isConnected() const { return m_socket->state() == QLocalSocket::ConnectedState; }

bool RemoteCollector::connectNow(int timeoutMs)
{
    m_socket->connectToServer(m_socketPath);
    if (!m_socket->waitForConnected(timeoutMs))
        return false;
    m_socket->write(QJsonDocument(subscribeRequest()).toJson(QJsonDocument::Compact) + '\n');
    while (!m_socket->canReadLine())
        if (!m_socket->waitForReadyRead(timeoutMs))
            return false;
    m_hello = QJsonDocument::fromJson(m_socket->readLine()).object();
    readLines(); // anything that came with the answer
    return !m_hello.isEmpty();
}

void RemoteCollector::readLines()
{
    if (m_hello.isEmpty())
        return; // connectNow() reads the answer itself
    while (m_socket->canReadLine()) {
        const QJsonObject message = QJsonDocument::fromJson(m_socket->readLine()).object();
        if (message.contains("batch")) {
            const QJsonObject batch = message.value("batch").toObject();
            BatchSummary summary;
            summary.events = batch.value("events").toInt();
            summary.newIssueIds = idList(batch.value("new"));
            summary.regressedIssueIds = idList(batch.value("regressed"));
            summary.escalatedIssueIds = idList(batch.value("escalated"));
            summary.touchedIssueIds = idList(batch.value("issues"));
            summary.touchedProjectIds = idList(batch.value("projects"));
            summary.newIssues = int(summary.newIssueIds.size());
            summary.regressions = int(summary.regressedIssueIds.size());
            emit batchCommitted(summary);
        } else if (message.contains("status")) {
            const QJsonObject status = message.value("status").toObject();
            m_status.acceptedEvents = quint64(status.value("accepted").toInteger());
            m_status.rejectedRequests = quint64(status.value("rejected").toInteger());
            m_status.rateLimited = quint64(status.value("rate_limited").toInteger());
            m_status.clientDiscarded = quint64(status.value("client_discarded").toInteger());
            m_status.refusing = status.value("refusing").toString();
            m_status.refusingStatus = status.value("refusing_status").toInt();
        }
    }
}

QJsonObject RemoteCollector::batchMessage(const BatchSummary &summary)
{
    return QJsonObject { { "batch",
        QJsonObject { { "events", summary.events }, { "new", idArray(summary.newIssueIds) },
            { "regressed", idArray(summary.regressedIssueIds) }, { "escalated", idArray(summary.escalatedIssueIds) },
            { "issues", idArray(summary.touchedIssueIds) }, { "projects", idArray(summary.touchedProjectIds) } } } };
}

QJsonObject RemoteCollector::statusMessage(const CollectorStatus &status)
{
    return QJsonObject { { "status",
        QJsonObject { { "accepted", qint64(status.acceptedEvents) }, { "rejected", qint64(status.rejectedRequests) },
            { "rate_limited", qint64(status.rateLimited) }, { "client_discarded", qint64(status.clientDiscarded) },
            { "refusing", status.refusing }, { "refusing_status", status.refusingStatus } } } };
}

} // namespace faultline
