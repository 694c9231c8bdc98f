#include "mcp/mcp_server.h"

#include "mcp/event_report.h"
#include "mcp/tool_arguments.h"
#include "mcp/tool_catalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

constexpr int kResourcePageSize = 50;

const QString kInstructions = QStringLiteral(
    "Faultline is the developer's local error tracker: errors their services reported (Sentry SDKs), grouped "
    "into issues. Typical use: search_issues (default: unresolved, newest activity first) -> get_issue for the "
    "exception, the app's own frames with source lines and local variables, the request and the HTTP answer -> "
    "list_events / get_event for other occurrences -> explain_grouping to see why events share an issue. "
    "resolve_issue / ignore_issue change what the user sees: ask first, then pass confirm: true.");

// An answer that is itself an error, as opposed to a result.
struct Failure {
    int code;
    QString message;
};

QJsonObject errorReply(const JsonRpcMessage &request, const Failure &failure)
{
    return jsonRpcError(request.id, failure.code, failure.message);
}

} // namespace

McpServer::McpServer(const QString &dbPath, CollectorHostPort collectorHostPort, int stopFd)
    : m_tools(dbPath, std::move(collectorHostPort), stopFd)
{
}

QStringList McpServer::supportedProtocolVersions()
{
    return { QStringLiteral("2025-11-25"), QStringLiteral("2025-06-18"), QStringLiteral("2025-03-26"),
        QStringLiteral("2024-11-05") };
}

std::optional<QByteArray> McpServer::handleText(QByteArrayView text)
{
    const JsonRpcParsed parsed = parseJsonRpc(text);
    if (parsed.errorReply) {
        spdlog::warn("mcp: malformed message: {}",
            parsed.errorReply->value(QLatin1String("error"))
                .toObject()
                .value(QLatin1String("message"))
                .toString()
                .toStdString());
        return jsonRpcLine(*parsed.errorReply);
    }
    if (!parsed.message)
        return std::nullopt;
    const auto reply = handle(*parsed.message);
    if (!reply)
        return std::nullopt;
    return jsonRpcLine(*reply);
}

std::optional<QJsonObject> McpServer::handle(const JsonRpcMessage &message)
{
    if (message.kind == JsonRpcMessage::Kind::Response)
        return std::nullopt; // we never send requests, so there is nothing to match it to
    if (message.kind == JsonRpcMessage::Kind::Notification) {
        // notifications/initialized, notifications/cancelled (every request is answered before
        // the next is read, so there is nothing left to cancel), and any the spec adds later.
        spdlog::debug("mcp: notification {}", message.method.toStdString());
        return std::nullopt;
    }
    const QString &method = message.method;
    if (method == u"initialize")
        return initialize(message);
    if (method == u"ping")
        return jsonRpcResult(message.id, {});
    if (!initialized())
        return errorReply(message,
            { JsonRpcError::InvalidRequest, QStringLiteral("Invalid Request: send initialize before %1").arg(method) });
    if (method == u"tools/list")
        return jsonRpcResult(message.id, { { QStringLiteral("tools"), toolDefinitions() } });
    if (method == u"tools/call")
        return callTool(message);
    if (method == u"resources/list")
        return listResources(message);
    if (method == u"resources/read")
        return readResource(message);
    if (method == u"resources/templates/list")
        return jsonRpcResult(message.id,
            { { QStringLiteral("resourceTemplates"),
                QJsonArray { QJsonObject { { QStringLiteral("uriTemplate"), QStringLiteral("faultline://issue/{id}") },
                    { QStringLiteral("name"), QStringLiteral("issue") },
                    { QStringLiteral("title"), QStringLiteral("Faultline issue") },
                    { QStringLiteral("description"), QStringLiteral("An issue as get_issue describes it") },
                    { QStringLiteral("mimeType"), QStringLiteral("application/json") } } } } });
    return errorReply(message, { JsonRpcError::MethodNotFound, QStringLiteral("Method not found: %1").arg(method) });
}

QJsonObject McpServer::initialize(const JsonRpcMessage &request)
{
    const QJsonValue requested = request.params.value(QLatin1String("protocolVersion"));
    if (!requested.isString())
        return errorReply(request,
            { JsonRpcError::InvalidParams,
                QStringLiteral("Invalid params: initialize needs \"protocolVersion\" (a string)") });
    // The client's version when we speak it, else our newest: the client then decides whether to go on.
    const QStringList supported = supportedProtocolVersions();
    m_protocolVersion = supported.contains(requested.toString()) ? requested.toString() : supported.first();
    const QJsonObject client = request.params.value(QLatin1String("clientInfo")).toObject();
    spdlog::info("mcp: initialize from {} {} (asked {}, speaking {})",
        client.value(QLatin1String("name")).toString().toStdString(),
        client.value(QLatin1String("version")).toString().toStdString(), requested.toString().toStdString(),
        m_protocolVersion.toStdString());
    return jsonRpcResult(request.id,
        { { QStringLiteral("protocolVersion"), m_protocolVersion },
            { QStringLiteral("capabilities"),
                QJsonObject { { QStringLiteral("tools"), QJsonObject { { QStringLiteral("listChanged"), false } } },
                    { QStringLiteral("resources"),
                        QJsonObject {
                            { QStringLiteral("listChanged"), false }, { QStringLiteral("subscribe"), false } } } } },
            { QStringLiteral("serverInfo"),
                QJsonObject { { QStringLiteral("name"), QStringLiteral("faultline") },
                    { QStringLiteral("title"), QStringLiteral("Faultline") },
                    { QStringLiteral("version"), QStringLiteral(FAULTLINE_VERSION) } } },
            { QStringLiteral("instructions"), kInstructions } });
}

QJsonObject McpServer::callTool(const JsonRpcMessage &request)
{
    const QJsonValue name = request.params.value(QLatin1String("name"));
    if (!name.isString())
        return errorReply(request,
            { JsonRpcError::InvalidParams, QStringLiteral("Invalid params: tools/call needs \"name\" (a string)") });
    // Unknown tools are protocol errors; bad arguments are tool errors the model can read and fix (SEP-1303).
    if (!m_tools.has(name.toString()))
        return errorReply(request,
            { JsonRpcError::InvalidParams,
                QStringLiteral("Unknown tool: %1 (tools/list names them: %2)")
                    .arg(name.toString().left(80), toolNames().join(QStringLiteral(", "))) });
    const QJsonValue arguments = request.params.value(QLatin1String("arguments"));
    if (!arguments.isUndefined() && !arguments.isNull() && !arguments.isObject())
        return jsonRpcResult(request.id, toolError(QStringLiteral("\"arguments\" must be an object")));
    const QJsonObject result = m_tools.call(name.toString(), arguments.toObject());
    if (result.value(QLatin1String("isError")).toBool())
        spdlog::info("mcp: {} refused: {}", name.toString().toStdString(),
            result.value(QLatin1String("content")).toArray().at(0)[QLatin1String("text")].toString().toStdString());
    return jsonRpcResult(request.id, result);
}

QJsonObject McpServer::listResources(const JsonRpcMessage &request)
{
    const QString cursor = request.params.value(QLatin1String("cursor")).toString();
    const std::optional<int> offset = cursor.isEmpty() ? std::optional<int>(0) : decodeCursor(cursor);
    if (!offset)
        return errorReply(request, { JsonRpcError::InvalidParams, QStringLiteral("Invalid params: unknown cursor") });
    QString error;
    const auto page = m_tools.issuePage(QString(), IssueSort::LastSeen, kResourcePageSize, *offset, &error);
    if (!page)
        return errorReply(request, { JsonRpcError::InternalError, error });
    QJsonArray resources;
    for (const QJsonValue &value : page->value(QLatin1String("issues")).toArray()) {
        const QJsonObject issue = value.toObject();
        resources.append(QJsonObject { { QStringLiteral("uri"), issue.value(QLatin1String("uri")) },
            { QStringLiteral("name"), QStringLiteral("issue-%1").arg(issue.value(QLatin1String("id")).toInteger()) },
            { QStringLiteral("title"), issue.value(QLatin1String("title")) },
            { QStringLiteral("description"),
                QStringLiteral("%1 · %2 · %3 events · last seen %4")
                    .arg(issue.value(QLatin1String("status")).toString(),
                        issue.value(QLatin1String("culprit")).toString())
                    .arg(issue.value(QLatin1String("count")).toInteger())
                    .arg(issue.value(QLatin1String("last_seen")).toString()) },
            { QStringLiteral("mimeType"), QStringLiteral("application/json") } });
    }
    QJsonObject result { { QStringLiteral("resources"), resources } };
    if (page->contains(QLatin1String("nextCursor")))
        result.insert(QStringLiteral("nextCursor"), page->value(QLatin1String("nextCursor")));
    return jsonRpcResult(request.id, result);
}

QJsonObject McpServer::readResource(const JsonRpcMessage &request)
{
    const QString uri = request.params.value(QLatin1String("uri")).toString();
    static const QRegularExpression issueUriPattern(QStringLiteral(R"(^faultline://issue/([1-9][0-9]{0,17})$)"));
    const QRegularExpressionMatch match = issueUriPattern.match(uri);
    if (!match.hasMatch())
        return jsonRpcError(request.id, JsonRpcError::ResourceNotFound,
            QStringLiteral("Resource not found: %1 (Faultline serves faultline://issue/ID)").arg(uri.left(200)),
            QJsonObject { { QStringLiteral("uri"), uri.left(200) } });
    QString error;
    bool missing = false;
    const auto report = m_tools.issueReport(match.captured(1).toLongLong(), &error, &missing);
    if (!report && missing)
        return jsonRpcError(request.id, JsonRpcError::ResourceNotFound,
            QStringLiteral("Resource not found: %1").arg(error), QJsonObject { { QStringLiteral("uri"), uri } });
    if (!report)
        return errorReply(request, { JsonRpcError::InternalError, error });
    return jsonRpcResult(request.id,
        { { QStringLiteral("contents"),
            QJsonArray { QJsonObject { { QStringLiteral("uri"), uri },
                { QStringLiteral("mimeType"), QStringLiteral("application/json") },
                { QStringLiteral("text"),
                    QString::fromUtf8(QJsonDocument(*report).toJson(QJsonDocument::Compact)) } } } } });
}

} // namespace faultline
