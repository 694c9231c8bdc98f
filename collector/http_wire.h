#pragma once
// Between libmicrohttpd and the plain HttpRequest/HttpResponse values: reading
// a request's head, sending an answer, and the checks on the head that the
// library does not make itself. The HTTP layer's internals.
#include "collector/http_types.h"

#include <microhttpd.h>

#include <optional>

namespace faultline {

// MHD_get_connection_values callbacks: into HttpRequest::headers / ::query.
MHD_Result collectHeader(void *request, MHD_ValueKind, const char *key, const char *value);
MHD_Result collectQueryArgument(void *query, MHD_ValueKind, const char *key, const char *value);

QString peerOf(MHD_Connection *connection); // "ip:port"
QString peerOf(const sockaddr *address); // "ip:port", "?" when not IP
MHD_Result send(MHD_Connection *connection, const HttpResponse &response);

// The answer, with the connection closed after it.
HttpResponse closing(HttpResponse response);

// The answer as the bytes on the wire (status line, Date, Content-Type,
// Content-Length, its headers, the body), for a socket libmicrohttpd does not
// hold: the request head gate's refusals and the watchdog's 408.
QByteArray wireBytes(const HttpResponse &response);

// RFC 9112 framing a proxy in front of us could read differently (both
// Transfer-Encoding and Content-Length, an unknown transfer coding, no Host or
// two): why it is refused, or nothing. `version` as libmicrohttpd gives it.
std::optional<QString> ambiguousFraming(const HttpRequest &request, const char *version);

// The text of the HTML page libmicrohttpd sends with an error, without the tags.
QString pageText(QByteArrayView html);

} // namespace faultline
