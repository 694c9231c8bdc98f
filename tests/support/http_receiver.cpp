#include "support/http_receiver.h"

#include <QTcpSocket>

namespace faultline::test {

QByteArray ReceivedRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

bool ReceivedRequest::hasHeader(const QByteArray &name) const
{
    for (const auto &header : headers)
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

HttpReceiver::HttpReceiver(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this]() {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket]() { serve(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

bool HttpReceiver::listen() { return m_server.listen(QHostAddress::LocalHost, 0); }

QString HttpReceiver::baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(port()); }

void HttpReceiver::serve(QTcpSocket *socket)
{
    // Wait for the whole request: headers, then Content-Length bytes of body.
    QByteArray buffered = socket->property("buffer").toByteArray() + socket->readAll();
    socket->setProperty("buffer", buffered);
    const qsizetype headerEnd = buffered.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    ReceivedRequest request;
    const QList<QByteArray> lines = buffered.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    request.method = requestLine.value(0);
    request.target = requestLine.value(1);
    for (const QByteArray &line : lines.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
    }
    const qsizetype length = request.header("Content-Length").toLongLong();
    if (buffered.size() < headerEnd + 4 + length)
        return;
    request.body = buffered.mid(headerEnd + 4, length);
    socket->setProperty("buffer", QByteArray());
    m_requests.append(request);

    const CannedResponse response = m_queued.isEmpty() ? m_default : m_queued.takeFirst();
    QByteArray answer = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + response.reason + "\r\n";
    for (const auto &[name, value] : response.headers)
        answer += name + ": " + value + "\r\n";
    answer += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\nConnection: close\r\n\r\n";
    answer += response.body;
    socket->write(answer);
    socket->disconnectFromHost();
    emit requestReceived(request);
}

} // namespace faultline::test
