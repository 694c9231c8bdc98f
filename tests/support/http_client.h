#pragma once
// A deliberately raw HTTP/1.1 client for tests: sends exactly the bytes we
// say (captured headers, chunked bodies, garbage) and parses the answer.
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace faultline::test {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct RawResponse {
    int status = 0; // 0 = no answer (connection closed or timed out)
    HeaderList headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const;
    QJsonObject json() const;
};

// Builds a request; Host and Connection: close are added unless present.
// chunked = send the body with Transfer-Encoding: chunked in 1 KiB chunks
// (and drop any Content-Length from `headers`).
QByteArray buildRequest(const QByteArray &method, const QByteArray &target, HeaderList headers, const QByteArray &body,
    bool chunked = false);

RawResponse sendRaw(quint16 port, const QByteArray &request, int timeoutMs = 10000);
// Writes `request` and returns every byte the server sends until it closes (or
// `timeoutMs` pass), unparsed: for answers that are not one well-formed response.
QByteArray exchangeRaw(quint16 port, const QByteArray &request, int timeoutMs = 10000);

// POST with Content-Length; the common case.
RawResponse post(quint16 port, const QByteArray &target, const HeaderList &headers, const QByteArray &body);

// zlib's deflate with `windowBits`: 15+16 gzip, 15 zlib-wrapped, -15 raw deflate.
QByteArray zlibCompress(const QByteArray &data, int windowBits);
inline QByteArray gzip(const QByteArray &data) { return zlibCompress(data, 15 + 16); }

} // namespace faultline::test
