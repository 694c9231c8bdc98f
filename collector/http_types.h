#pragma once
// Plain request/response values exchanged between the HTTP layer and the
// ingestion handlers, so the handlers never see libmicrohttpd.
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace faultline {

struct HttpRequest {
    QByteArray method;
    QString path;       // decoded path without the query string
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;  // as received, duplicates kept
    QByteArray body;    // de-chunked, still content-encoded
    QString peer;       // "ip:port", for the log

    // Case-insensitive; duplicates joined with ", ".
    QByteArray header(QByteArrayView name) const;
};

struct HttpResponse {
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;
    QString reason;  // why a request was refused, for the log; not sent

    HttpResponse &withHeader(QByteArray name, QByteArray value)
    {
        headers.append({std::move(name), std::move(value)});
        return *this;
    }
};

}  // namespace faultline
