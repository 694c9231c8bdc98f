#pragma once
// Plain request/response values exchanged between the HTTP layer and the
// ingestion handlers, so the handlers never see libmicrohttpd.
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <functional>

namespace faultline {

struct HttpRequest {
    QByteArray method;
    QString path; // decoded path without the query string
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // as received, duplicates kept
    QByteArray body; // de-chunked, still content-encoded
    QString peer; // "ip:port", for the log

    // Case-insensitive; duplicates joined with ", ".
    QByteArray header(QByteArrayView name) const;
    // The sender's IP address: `peer` without the port ("" when unknown).
    QString peerAddress() const;
};

struct HttpResponse {
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;
    QString reason; // why a request was refused, for the log; not sent

    HttpResponse &withHeader(QByteArray name, QByteArray value)
    {
        headers.append({ std::move(name), std::move(value) });
        return *this;
    }
};

// Hands a request's answer to the HTTP layer. Call it exactly once, from any
// thread, right away or later (the collector answers from the writer thread
// once the event's batch committed). Calls after the client left are ignored.
using Responder = std::function<void(HttpResponse)>;

} // namespace faultline
