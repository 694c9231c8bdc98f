#pragma once
// MCP's streamable HTTP transport (POST /mcp on the collector's port) for
// agents that cannot spawn a process. JSON answers only (no SSE streams: we
// never send requests or notifications to the client), GET answers 405.
// Guards, in order: the peer must be this machine; Host and Origin must name
// it too (a web page reaching 127.0.0.1 through DNS rebinding carries its own);
// Authorization: Bearer with a project's key or the MCP token; then the
// session (Mcp-Session-Id from initialize) and MCP-Protocol-Version.
#include "mcp/issue_tools.h"
#include "storage/stop_pipe.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

namespace faultline {

struct McpHttpRequest {
    QByteArray method;
    QHostAddress peer;
    std::function<QByteArray(QByteArrayView name)> header; // case-insensitive, empty when absent
    QByteArray body;
};

struct McpHttpResponse {
    int status = 200;
    QByteArray body; // empty for 202
    QList<QPair<QByteArray, QByteArray>> headers;
    QString reason; // for the log when refused
};

// The app_state key of the token that works besides project keys (shown in the connect dialog).
inline const QString kMcpTokenKey = QStringLiteral("mcp_token");

class McpHttpEndpoint {
public:
    // `collectorHostPort`: the address of the collector serving this endpoint.
    McpHttpEndpoint(QString dbPath, CollectorHostPort collectorHostPort);
    ~McpHttpEndpoint();

    // Thread-safe; runs tools on the calling thread (call it off the HTTP threads).
    McpHttpResponse handle(const McpHttpRequest &request);
    // Ends the PostgreSQL connects and host name look-ups of the calls under way, and fails those
    // of later calls at once: a collector stopping, and the process exiting after it, would otherwise
    // wait for a name server or a server that does not answer. Any thread.
    void stop() { m_stopPipe.stop(); }

    static constexpr int kMaxSessions = 64; // the least recently used goes first
    static constexpr qint64 kMaxBodyBytes = 1 << 20;

private:
    struct Sessions;
    bool authorized(const QByteArray &authorization) const;
    QString m_dbPath;
    CollectorHostPort m_collectorHostPort;
    StopPipe m_stopPipe; // before m_sessions: their tools poll its read end
    std::unique_ptr<Sessions> m_sessions;
};

// Whether an Origin/Host value names this machine (127.0.0.1, [::1], localhost), any port.
bool isLoopbackOrigin(const QByteArray &origin);
bool isLoopbackHost(const QByteArray &host);

} // namespace faultline
