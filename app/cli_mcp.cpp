#include "app/cli_mcp.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"
#include "mcp/mcp_server.h"
#include "storage/postgres/pg_uri.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

namespace faultline {

namespace {

// A line longer than this is answered with an error and skipped, not buffered further.
constexpr std::size_t kMaxLineBytes = 4 << 20;

// stdout carries only protocol messages, so every log line goes to stderr.
void logToStderr(const QString &level)
{
    auto logger
        = std::make_shared<spdlog::logger>("faultline-mcp", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [mcp] %v");
    const auto parsed = spdlog::level::from_str(level.toStdString());
    logger->set_level(parsed == spdlog::level::off && level != u"off" ? spdlog::level::info : parsed);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

// False once the client stopped reading (SIGPIPE is ignored, so a closed pipe is an error here).
bool writeLine(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    return std::fflush(stdout) == 0 && !std::ferror(stdout);
}

} // namespace

int runMcpCommand(const QStringList &args, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions = { QStringLiteral("--db"), QStringLiteral("--log-level") },
        .flags = {},
        .usage = QStringLiteral("usage: faultline mcp [--db PATH] [--log-level info|debug|warn]") };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return 2;
    // Refuse a missing database now, with the CLI's words, rather than on every tool call.
    const QString dbPath = cliDatabasePath(*arguments);
    if (!openCliBackend(dbPath, CliDatabaseUse::Read, err))
        return 1;
    err.flush();
    logToStderr(arguments->isSet(QStringLiteral("--log-level")) ? arguments->value(QStringLiteral("--log-level"))
                                                                : QStringLiteral("info"));
    spdlog::info("serving MCP on stdio for {}", connectionStringForLog(dbPath).toStdString());

    std::signal(SIGPIPE, SIG_IGN);
    // Not the collector: DSNs name where the app last said it listens, read at each call
    // from the store the call opened.
    McpServer server(dbPath, [](const StorageBackend &store) { return publishedCollectorHostPort(store); });
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        std::optional<QByteArray> reply;
        if (line.size() > kMaxLineBytes)
            reply = jsonRpcLine(jsonRpcError(QJsonValue::Null, JsonRpcError::InvalidRequest,
                QStringLiteral("Invalid Request: message larger than %1 bytes").arg(kMaxLineBytes)));
        else
            reply = server.handleText(QByteArrayView(line.data(), qsizetype(line.size())));
        if (reply && !writeLine(*reply)) {
            spdlog::info("stdout closed; MCP server stopping");
            return 0;
        }
    }
    spdlog::info("stdin closed; MCP server stopping");
    return 0;
}

} // namespace faultline
