#pragma once
// Serves MCP's streamable HTTP transport at /mcp on the collector's port:
// hands each request to an McpHttpEndpoint on a worker thread (tools read
// SQLite or PostgreSQL) so the collector's HTTP threads never wait for it.
#include "collector/http_server.h"
#include "mcp/http_endpoint.h"

#include <memory>

namespace faultline {

class Database;
class PgConnection;

// The handler for CollectorOptions::extraRoutes["/mcp"]. Requests in flight
// share `endpoint`; its owner stops it (McpHttpEndpoint::stop) before the collector.
HttpServer::Handler mcpHttpRoute(std::shared_ptr<McpHttpEndpoint> endpoint);

// Creates the MCP token (app_state) on first start, for agents without a project
// key, through the start-up's own connection (on PostgreSQL, a stoppable one).
void ensureMcpToken(Database &db);
void ensureMcpToken(PgConnection &connection);

} // namespace faultline
