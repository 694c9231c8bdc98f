#pragma once
// One MCP session's protocol side, whatever the transport: the lifecycle
// (initialize with version negotiation, notifications/initialized, ping), the
// tools and the issue resources (faultline://issue/ID). Feed it each message;
// it answers requests and stays silent on notifications and responses.
#include "mcp/issue_tools.h"
#include "mcp/json_rpc.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace faultline {

class McpServer {
public:
    // `stopFd`: as IssueTools' (issue_tools.h).
    McpServer(const QString &dbPath, CollectorHostPort collectorHostPort, int stopFd = -1);

    // Newest first; initialize answers with the client's version when it is one of these.
    static QStringList supportedProtocolVersions();

    // The reply to send, if any.
    std::optional<QJsonObject> handle(const JsonRpcMessage &message);
    // A raw line/body: parse, handle, serialize (malformed text gets its JSON-RPC error).
    std::optional<QByteArray> handleText(QByteArrayView text);

    bool initialized() const { return !m_protocolVersion.isEmpty(); }
    QString protocolVersion() const { return m_protocolVersion; }

private:
    QJsonObject initialize(const JsonRpcMessage &request);
    QJsonObject callTool(const JsonRpcMessage &request);
    QJsonObject listResources(const JsonRpcMessage &request);
    QJsonObject readResource(const JsonRpcMessage &request);

    IssueTools m_tools;
    QString m_protocolVersion; // empty until initialize
};

} // namespace faultline
