#pragma once
// An event's HTTP request as something to run again: a curl command line to
// copy, and the pieces a replay sends. Values the SDK or Faultline scrubbed
// ("[Filtered]") stay scrubbed and are marked; they are never guessed.
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace faultline {

struct RequestHeader {
    QString name;
    QString value;
    bool scrubbed = false; // value is (or contains) the "[Filtered]" placeholder
};

struct HttpRequestSpec {
    QString method = QStringLiteral("GET");
    QString url; // with the query string
    QList<RequestHeader> headers; // without Host/Content-Length/Connection: the client sets those
    QByteArray body;
    bool bodyScrubbed = false;
    QStringList scrubbedParts; // "header Authorization", "cookie sessionid", "body field password"

    bool isValid() const { return !url.isEmpty(); }
};

// From an event's "request" object (headers/cookies/query as object, pairs or text).
HttpRequestSpec requestSpecFromEvent(const QJsonObject &request);

// A POSIX shell command (single-quoted arguments), preceded by "#" comment
// lines naming what was scrubbed.
QString curlCommand(const HttpRequestSpec &spec);

// Where a replay goes: the base URL's scheme, host and port, its path followed
// by the original path, and the original query. Invalid unless `baseUrl` is an
// absolute http(s) URL with a host.
QUrl replayUrl(const QString &baseUrl, const QString &originalUrl);

// The placeholder scrubbing leaves in values.
inline QString scrubbedPlaceholder() { return QStringLiteral("[Filtered]"); }

} // namespace faultline
