#include "mcp/http_endpoint.h"

#include "mcp/json_rpc.h"
#include "mcp/mcp_server.h"
#include "storage/app_state.h"
#include "storage/backend.h"
#include "storage/postgres/pg_uri.h"
#include "storage/project_store.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrl>

#include <spdlog/spdlog.h>

#include <mutex>

namespace faultline {

namespace {

struct Session {
    std::mutex mutex; // one message at a time per session, like stdio
    McpServer server;
    qint64 lastUsedMs = 0;
    Session(const QString &dbPath, const CollectorHostPort &collectorHostPort, int stopFd)
        : server(dbPath, collectorHostPort, stopFd)
    {
    }
};

McpHttpResponse refusal(int status, const QString &message, int code = JsonRpcError::InvalidRequest)
{
    // A JSON-RPC error body (id null) so clients show the reason, not a bare status.
    return { status, jsonRpcLine(jsonRpcError(QJsonValue::Null, code, message)),
        { { "Content-Type", "application/json" } }, message };
}

bool isLoopbackName(const QString &host) { return host == u"localhost" || QHostAddress(host).isLoopback(); }

QString newSessionId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

} // namespace

bool isLoopbackOrigin(const QByteArray &origin)
{
    const QUrl url(QString::fromLatin1(origin));
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https") && isLoopbackName(url.host());
}

bool isLoopbackHost(const QByteArray &host)
{
    const QUrl url(QStringLiteral("http://") + QString::fromLatin1(host));
    return url.isValid() && isLoopbackName(url.host());
}

struct McpHttpEndpoint::Sessions {
    std::mutex mutex;
    QHash<QString, std::shared_ptr<Session>> byId;

    std::shared_ptr<Session> find(const QString &id)
    {
        std::lock_guard lock(mutex);
        return byId.value(id);
    }

    void add(const QString &id, const std::shared_ptr<Session> &session)
    {
        std::lock_guard lock(mutex);
        while (byId.size() >= kMaxSessions) {
            auto oldest = byId.begin();
            for (auto it = byId.begin(); it != byId.end(); ++it)
                if (it.value()->lastUsedMs < oldest.value()->lastUsedMs)
                    oldest = it;
            byId.erase(oldest);
        }
        byId.insert(id, session);
    }

    bool remove(const QString &id)
    {
        std::lock_guard lock(mutex);
        return byId.remove(id) > 0;
    }
};

McpHttpEndpoint::McpHttpEndpoint(QString dbPath, CollectorHostPort collectorHostPort)
    : m_dbPath(std::move(dbPath))
    , m_collectorHostPort(std::move(collectorHostPort))
    , m_sessions(std::make_unique<Sessions>())
{
}

McpHttpEndpoint::~McpHttpEndpoint() = default;

bool McpHttpEndpoint::authorized(const QByteArray &authorization) const
{
    if (!authorization.startsWith("Bearer "))
        return false;
    const QString token = QString::fromLatin1(authorization.mid(7).trimmed());
    if (token.size() < 16)
        return false;
    const StorageResult<std::unique_ptr<StorageBackend>> store
        = openStorageBackend(m_dbPath, BackendUse::Read, m_stopPipe.readEnd());
    if (!store) {
        spdlog::error("mcp http: cannot open {}: {}", connectionStringForLog(m_dbPath).toStdString(),
            store.error().detail.toStdString());
        return false;
    }
    if (token == (*store)->appState(kMcpTokenKey))
        return true;
    for (const Project &project : (*store)->projects().all())
        if (token == project.publicKey)
            return true;
    return false;
}

McpHttpResponse McpHttpEndpoint::handle(const McpHttpRequest &request)
{
    if (!request.peer.isLoopback())
        return refusal(403, QStringLiteral("MCP is served to this machine only"));
    const QByteArray host = request.header("Host");
    if (!host.isEmpty() && !isLoopbackHost(host))
        return refusal(403, QStringLiteral("Host must be 127.0.0.1, [::1] or localhost"));
    const QByteArray origin = request.header("Origin");
    if (!origin.isEmpty() && !isLoopbackOrigin(origin))
        return refusal(
            403, QStringLiteral("Origin %1 may not use this MCP server").arg(QString::fromLatin1(origin.left(100))));
    if (request.method != "POST" && request.method != "DELETE") {
        McpHttpResponse response = refusal(405, QStringLiteral("POST JSON-RPC messages to /mcp (no SSE stream here)"));
        response.headers.append(qMakePair(QByteArray("Allow"), QByteArray("POST, DELETE")));
        return response;
    }
    if (!authorized(request.header("Authorization"))) {
        McpHttpResponse response
            = refusal(401, QStringLiteral("Authorization: Bearer <project key or MCP token> required"));
        response.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"faultline\"")));
        return response;
    }
    const QString sessionId = QString::fromLatin1(request.header("Mcp-Session-Id"));
    if (request.method == "DELETE") {
        if (sessionId.isEmpty())
            return refusal(400, QStringLiteral("DELETE needs Mcp-Session-Id"));
        return m_sessions->remove(sessionId) ? McpHttpResponse { 200, {}, {}, {} }
                                             : refusal(404, QStringLiteral("no such session"));
    }
    if (!request.header("Content-Type").toLower().contains("application/json"))
        return refusal(415, QStringLiteral("Content-Type must be application/json"));
    const QByteArray accept = request.header("Accept");
    if (!accept.isEmpty() && !accept.contains("application/json") && !accept.contains("*/*"))
        return refusal(406, QStringLiteral("Accept must include application/json"));
    if (request.body.size() > kMaxBodyBytes)
        return refusal(413, QStringLiteral("MCP messages are limited to %1 bytes").arg(kMaxBodyBytes));
    const QByteArray version = request.header("MCP-Protocol-Version");
    if (!version.isEmpty() && !McpServer::supportedProtocolVersions().contains(QString::fromLatin1(version)))
        return refusal(400,
            QStringLiteral("unsupported MCP-Protocol-Version %1 (supported: %2)")
                .arg(QString::fromLatin1(version.left(40)),
                    McpServer::supportedProtocolVersions().join(QStringLiteral(", "))));

    const JsonRpcParsed parsed = parseJsonRpc(request.body);
    if (parsed.errorReply)
        return { 400, jsonRpcLine(*parsed.errorReply), { { "Content-Type", "application/json" } },
            QStringLiteral("malformed JSON-RPC message") };
    if (!parsed.message)
        return { 202, {}, {}, {} };

    std::shared_ptr<Session> session;
    QString assignedId;
    const bool initializing
        = parsed.message->kind == JsonRpcMessage::Kind::Request && parsed.message->method == u"initialize";
    if (initializing) {
        session = std::make_shared<Session>(m_dbPath, m_collectorHostPort, m_stopPipe.readEnd());
        assignedId = newSessionId();
    } else if (sessionId.isEmpty()) {
        return refusal(400, QStringLiteral("Mcp-Session-Id required (send initialize first)"));
    } else if (!(session = m_sessions->find(sessionId))) {
        return refusal(404, QStringLiteral("unknown or expired session: send initialize again"));
    }

    std::optional<QJsonObject> reply;
    {
        std::lock_guard lock(session->mutex);
        session->lastUsedMs = QDateTime::currentMSecsSinceEpoch();
        reply = session->server.handle(*parsed.message);
    }
    if (!reply)
        return { 202, {}, {}, {} };
    McpHttpResponse response { 200, jsonRpcLine(*reply), { { "Content-Type", "application/json" } }, {} };
    if (initializing && session->server.initialized()) {
        m_sessions->add(assignedId, session);
        response.headers.append(qMakePair(QByteArray("Mcp-Session-Id"), assignedId.toLatin1()));
    }
    return response;
}

} // namespace faultline
