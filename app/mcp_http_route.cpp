#include "app/mcp_http_route.h"

#include "storage/app_state.h"
#include "storage/database.h"
#include "storage/postgres/pg_app_state.h"

#include <QRandomGenerator>
#include <QThreadPool>

#include <spdlog/spdlog.h>

#include <memory>

namespace faultline {

namespace {

// HttpRequest::peer is "address:port" (IPv6 without brackets).
QHostAddress peerAddress(const QString &peer) { return QHostAddress(peer.left(peer.lastIndexOf(u':'))); }

QString newMcpToken()
{
    quint32 words[6];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

} // namespace

HttpServer::Handler mcpHttpRoute(std::shared_ptr<McpHttpEndpoint> endpoint)
{
    return [endpoint = std::move(endpoint)](const HttpRequest &request, Responder respond) {
        McpHttpRequest mcpRequest { request.method, peerAddress(request.peer), {}, request.body };
        // Copied: the HttpRequest is gone once this handler returns.
        const auto headers = request.headers;
        mcpRequest.header = [headers](QByteArrayView name) {
            for (const auto &[key, value] : headers)
                if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                    return value;
            return QByteArray();
        };
        const QString peer = request.peer;
        QThreadPool::globalInstance()->start([endpoint, mcpRequest, peer, respond = std::move(respond)] {
            const McpHttpResponse answer = endpoint->handle(mcpRequest);
            if (answer.status >= 400)
                spdlog::warn(
                    "mcp http: {} from {}: {}", answer.status, peer.toStdString(), answer.reason.toStdString());
            HttpResponse response;
            response.status = answer.status;
            response.body = answer.body;
            response.contentType = answer.body.isEmpty() ? QByteArray() : QByteArray("application/json");
            for (const auto &[name, value] : answer.headers)
                if (name.compare("Content-Type", Qt::CaseInsensitive) != 0)
                    response.headers.append({ name, value });
            response.reason = answer.reason;
            respond(std::move(response));
        });
    };
}

void ensureMcpToken(Database &db)
{
    if (!readAppState(db, kMcpTokenKey).isEmpty())
        return;
    if (QString error; !writeAppState(db, kMcpTokenKey, newMcpToken(), &error))
        spdlog::warn("cannot store the MCP token: {}", error.toStdString());
}

void ensureMcpToken(PgConnection &connection)
{
    // Every collector on the database tries; the first one's token stays.
    if (QString error; !pgAppStateDefault(connection, kMcpTokenKey, newMcpToken(), &error))
        spdlog::warn("cannot store the MCP token: {}", error.toStdString());
}

} // namespace faultline
