#pragma once
// JSON-RPC 2.0 framing as MCP uses it: one message per line (stdio) or per
// POST body (HTTP); no batches (removed in MCP 2025-06-18); ids are strings or
// integers, never null; params are objects. Anything else gets the standard
// error reply, so a bad line never stops the server.
#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace faultline {

namespace JsonRpcError {
constexpr int ParseError = -32700;
constexpr int InvalidRequest = -32600;
constexpr int MethodNotFound = -32601;
constexpr int InvalidParams = -32602;
constexpr int InternalError = -32603;
constexpr int ResourceNotFound = -32002; // MCP's code for resources/read of an unknown URI
} // namespace JsonRpcError

struct JsonRpcMessage {
    enum class Kind { Request, Notification, Response };
    Kind kind = Kind::Request;
    QJsonValue id; // Request and Response only
    QString method; // Request and Notification
    QJsonObject params;
};

struct JsonRpcParsed {
    std::optional<JsonRpcMessage> message; // set when the text is a well-formed message
    std::optional<QJsonObject> errorReply; // else the reply to send, when one is due
};

// Never throws; a malformed notification gets no reply, everything else
// malformed gets one (with a null id when the id itself is unusable).
JsonRpcParsed parseJsonRpc(QByteArrayView text);

QJsonObject jsonRpcResult(const QJsonValue &id, const QJsonObject &result);
QJsonObject jsonRpcError(const QJsonValue &id, int code, const QString &message, const QJsonValue &data = {});
// Compact, so it never contains a raw newline: safe as one stdio line.
QByteArray jsonRpcLine(const QJsonObject &message);

} // namespace faultline
