#include "support/http_client.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTcpSocket>

#include <zlib.h>

namespace faultline::test {

QByteArray RawResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QJsonObject RawResponse::json() const { return QJsonDocument::fromJson(body).object(); }

QByteArray buildRequest(
    const QByteArray &method, const QByteArray &target, HeaderList headers, const QByteArray &body, bool chunked)
{
    auto has = [&headers](QByteArrayView name) {
        for (const auto &header : headers)
            if (header.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        return false;
    };
    if (chunked) {
        headers.removeIf([](const auto &h) { return h.first.compare("Content-Length", Qt::CaseInsensitive) == 0; });
        if (!has("Transfer-Encoding"))
            headers.append(qMakePair(QByteArray("Transfer-Encoding"), QByteArray("chunked")));
    }
    if (!has("Host"))
        headers.prepend(qMakePair(QByteArray("Host"), QByteArray("127.0.0.1")));
    // Captured headers say keep-alive; the tests read until close.
    headers.removeIf([](const auto &h) { return h.first.compare("Connection", Qt::CaseInsensitive) == 0; });
    headers.append(qMakePair(QByteArray("Connection"), QByteArray("close")));

    QByteArray request = method + ' ' + target + " HTTP/1.1\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    request += "\r\n";
    if (!chunked) {
        request += body;
        return request;
    }
    for (qsizetype offset = 0; offset < body.size(); offset += 1024) {
        const QByteArray chunk = body.mid(offset, 1024);
        request += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    }
    request += "0\r\n\r\n";
    return request;
}

QByteArray exchangeRaw(quint16 port, const QByteArray &request, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(request);
    socket.waitForBytesWritten(timeoutMs);

    QByteArray data;
    QElapsedTimer timer;
    timer.start();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs) {
        if (socket.waitForReadyRead(100))
            data += socket.readAll();
    }
    return data + socket.readAll();
}

RawResponse sendRaw(quint16 port, const QByteArray &request, int timeoutMs)
{
    const QByteArray data = exchangeRaw(port, request, timeoutMs);
    RawResponse response;
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return response;
    const QList<QByteArray> lines = data.left(headerEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() >= 2)
        response.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            response.headers.append({ lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed() });
    }
    response.body = data.mid(headerEnd + 4);
    return response;
}

RawResponse post(quint16 port, const QByteArray &target, const HeaderList &headers, const QByteArray &body)
{
    HeaderList withLength = headers;
    withLength.removeIf([](const auto &h) { return h.first.compare("Content-Length", Qt::CaseInsensitive) == 0; });
    withLength.append(qMakePair(QByteArray("Content-Length"), QByteArray::number(body.size())));
    return sendRaw(port, buildRequest("POST", target, withLength, body));
}

QByteArray zlibCompress(const QByteArray &data, int windowBits)
{
    z_stream stream {};
    deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

} // namespace faultline::test
