#include "app/mcp_http_route.h"

#include "mcp/http_endpoint.h"
#include "storage/app_state.h"
#include "storage/database.h"
#include "storage/postgres/pg_app_state.h"
#include "storage/postgres/pg_uri.h"

#include <QRandomGenerator>
#include <QThreadPool>

#include <spdlog/spdlog.h>

#include <memory>

namespace faultline {

namespace {

// HttpRequest::peer is "address:port" (IPv6 without brackets).
QHostAddress peerAddress(const QString &peer) { return QHostAddress(peer.left(peer.lastIndexOf(u':'))); }

} // namespace

HttpServer::Handler mcpHttpRoute(const QString &dbPath, CollectorHostPort collectorHostPort)
{
    auto endpoint = std::make_shared<McpHttpEndpoint>(dbPath, std::move(collectorHostPort));
    return [endpoint](const HttpRequest &request, Responder respond) {
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

void ensureMcpToken(const QString &dbPath)
{
    quint32 words[6];
    QRandomGenerator::system()->fillRange(words);
    const QString token = QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
    QString error;
    if (isPostgresUri(dbPath)) {
        // Every collector on the database tries; the first one's token stays.
        auto connection = PgConnection::open(dbPath);
        if (!connection)
            error = connection.error().message;
        else
            pgAppStateDefault(*connection.value(), kMcpTokenKey, token, &error);
    } else {
        const auto db = Database::open(dbPath, Database::Mode::ReadWrite, &error);
        if (!db || !readAppState(*db, kMcpTokenKey).isEmpty())
            return;
        writeAppState(*db, kMcpTokenKey, token, &error);
    }
    if (!error.isEmpty())
        spdlog::warn("cannot store the MCP token: {}", error.toStdString());
}

} // namespace faultline
