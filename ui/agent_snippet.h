#pragma once
// The connect dialog's "Coding agent" tab: how Claude Code, Claude Desktop,
// Cursor and VS Code start `faultline mcp` (their mcpServers/servers JSON),
// and the streamable HTTP entry for agents that cannot start a process.
#include "storage/project_store.h"

#include <QString>

namespace faultline {

// Every path and key filled in; JSON written by QJsonDocument, so odd paths stay valid.
QString mcpAgentSnippet(
    const QString &faultlineBinary, const QString &dbPath, const Project &project, const QString &collectorHostPort);

} // namespace faultline
