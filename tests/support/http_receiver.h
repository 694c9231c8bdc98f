#pragma once
// A local HTTP/1.1 server for tests of outgoing requests (replay, webhooks):
// records each request and answers with the next queued response (or the
// default one). One request per connection; the answer closes it.
#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpServer>

namespace faultline::test {

struct ReceivedRequest {
    QByteArray method;
    QByteArray target; // path and query, as sent
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
    bool hasHeader(const QByteArray &name) const;
};

struct CannedResponse {
    int status = 200;
    QByteArray reason = "OK";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

class HttpReceiver : public QObject {
    Q_OBJECT
public:
    explicit HttpReceiver(QObject *parent = nullptr);

    bool listen(); // 127.0.0.1, an ephemeral port
    quint16 port() const { return m_server.serverPort(); }
    QString baseUrl() const; // http://127.0.0.1:<port>

    void queue(const CannedResponse &response) { m_queued.append(response); }
    void setDefaultResponse(const CannedResponse &response) { m_default = response; }
    QList<ReceivedRequest> requests() const { return m_requests; }
    int connections() const { return m_connections; }

signals:
    void requestReceived(const faultline::test::ReceivedRequest &request);

private:
    void serve(QTcpSocket *socket);

    QTcpServer m_server;
    QList<CannedResponse> m_queued;
    CannedResponse m_default;
    QList<ReceivedRequest> m_requests;
    int m_connections = 0;
};

} // namespace faultline::test
