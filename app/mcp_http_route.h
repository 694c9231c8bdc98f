#pragma once
// Serves MCP's streamable HTTP transport at /mcp on the collector's port:
// hands each request to an McpHttpEndpoint on a worker thread (tools read
// SQLite or PostgreSQL) so the collector's HTTP threads never wait for it.
#include "collector/http_server.h"
#include "mcp/issue_tools.h"

#include <QString>

namespace faultline {

// The handler for CollectorOptions::extraRoutes["/mcp"]; `collectorHostPort`
// says where that collector listens (its DSNs name it, on either backend).
HttpServer::Handler mcpHttpRoute(const QString &dbPath, CollectorHostPort collectorHostPort);

// Creates the MCP token (app_state) on first start, for agents without a project key.
void ensureMcpToken(const QString &dbPath);

} // namespace faultline
