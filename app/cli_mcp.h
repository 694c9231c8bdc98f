#pragma once
// `faultline mcp [--db PATH] [--log-level LEVEL]`: the MCP server for coding
// agents over stdio (newline-delimited JSON-RPC on stdin/stdout, logs on
// stderr). No network listener; reads the same database as the window.
#include <QStringList>
#include <QTextStream>

namespace faultline {

// Returns when stdin closes: 0, or 1/2 when the database or the arguments are unusable.
int runMcpCommand(const QStringList &args, QTextStream &err);

} // namespace faultline
