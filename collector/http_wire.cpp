#include "collector/http_wire.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QDateTime>
#include <QLocale>

#include <cstring>

namespace faultline {

HttpResponse closing(HttpResponse response) { return response.withHeader("Connection", "close"); }

QByteArray wireBytes(const HttpResponse &response)
{
    const char *reason = MHD_get_reason_phrase_for(unsigned(response.status));
    QByteArray wire = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + QByteArray(reason ? reason : "")
        + "\r\nDate: "
        + QLocale::c()
              .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
              .toLatin1()
        + "\r\n";
    if (!response.contentType.isEmpty())
        wire += "Content-Type: " + response.contentType + "\r\n";
    wire += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto &[name, value] : response.headers)
        wire += name + ": " + value + "\r\n";
    return wire + "\r\n" + response.body;
}

// Refused, and the connection closed: where this request ends is not known.
std::optional<QString> ambiguousFraming(const HttpRequest &request, const char *version)
{
    const QByteArray transferEncoding = request.header("Transfer-Encoding").trimmed().toLower();
    if (!transferEncoding.isEmpty() && !request.header("Content-Length").isEmpty())
        return QStringLiteral("a request must not carry both Transfer-Encoding and Content-Length");
    if (!transferEncoding.isEmpty() && transferEncoding != "chunked")
        return QStringLiteral("unsupported Transfer-Encoding '%1' (only chunked is understood)")
            .arg(QString::fromLatin1(transferEncoding.left(64)));
    int hosts = 0;
    for (const auto &header : request.headers)
        hosts += header.first.compare("Host", Qt::CaseInsensitive) == 0 ? 1 : 0;
    if (hosts > 1)
        return QStringLiteral("a request must carry one Host header, not %1").arg(hosts);
    if (hosts == 0 && version && std::strcmp(version, "HTTP/1.0") != 0)
        return QStringLiteral("an HTTP/1.1 request must carry a Host header");
    return std::nullopt;
}

MHD_Result collectHeader(void *cls, MHD_ValueKind, const char *key, const char *value)
{
    auto *request = static_cast<HttpRequest *>(cls);
    request->headers.append({ QByteArray(key), QByteArray(value ? value : "") });
    return MHD_YES;
}

MHD_Result collectQueryArgument(void *cls, MHD_ValueKind, const char *key, const char *value)
{
    auto *query = static_cast<QUrlQuery *>(cls);
    query->addQueryItem(QString::fromUtf8(key), value ? QString::fromUtf8(value) : QString());
    return MHD_YES;
}

QString peerOf(MHD_Connection *connection)
{
    const auto *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? peerOf(info->client_addr) : QStringLiteral("?");
}

QString peerOf(const sockaddr *address)
{
    if (!address)
        return QStringLiteral("?");
    quint16 port = 0;
    if (address->sa_family == AF_INET)
        port = ntohs(reinterpret_cast<const sockaddr_in *>(address)->sin_port);
    else if (address->sa_family == AF_INET6)
        port = ntohs(reinterpret_cast<const sockaddr_in6 *>(address)->sin6_port);
    else
        return QStringLiteral("?");
    return QStringLiteral("%1:%2").arg(QHostAddress(address).toString()).arg(port);
}

MHD_Result send(MHD_Connection *connection, const HttpResponse &response)
{
    MHD_Response *mhdResponse = MHD_create_response_from_buffer(
        size_t(response.body.size()), const_cast<char *>(response.body.constData()), MHD_RESPMEM_MUST_COPY);
    if (!mhdResponse)
        return MHD_NO;
    if (!response.contentType.isEmpty())
        MHD_add_response_header(mhdResponse, MHD_HTTP_HEADER_CONTENT_TYPE, response.contentType.constData());
    for (const auto &[name, value] : response.headers)
        MHD_add_response_header(mhdResponse, name.constData(), value.constData());
    const MHD_Result result = MHD_queue_response(connection, unsigned(response.status), mhdResponse);
    MHD_destroy_response(mhdResponse);
    return result;
}

// The text of the HTML page libmicrohttpd sends with an error, e.g. "Your HTTP
// request has wrong value for <b>Content-Length</b> header." without the tags.
QString pageText(QByteArrayView html)
{
    const qsizetype body = html.indexOf("<body>");
    if (body >= 0)
        html = html.sliced(body + 6);
    const qsizetype bodyEnd = html.indexOf("</body>");
    if (bodyEnd >= 0)
        html.truncate(bodyEnd);
    QString text;
    bool inTag = false;
    for (const char c : html) {
        if (c == '<' || c == '>')
            inTag = c == '<';
        else if (!inTag)
            text.append(QLatin1Char(c));
    }
    return text.simplified();
}

} // namespace faultline
