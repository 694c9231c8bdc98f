#include "mcp/json_rpc.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace faultline {

namespace {

bool isUsableId(const QJsonValue &id)
{
    if (id.isString())
        return true;
    // JSON-RPC allows fractions but MCP ids are integers; 2^53 keeps them exact.
    if (!id.isDouble())
        return false;
    const double value = id.toDouble();
    return std::trunc(value) == value && std::fabs(value) <= 9007199254740992.0;
}

JsonRpcParsed failure(const QJsonValue &id, int code, const QString &message)
{
    return { std::nullopt, jsonRpcError(id, code, message) };
}

} // namespace

JsonRpcParsed parseJsonRpc(QByteArrayView text)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(QJsonValue::Null, JsonRpcError::ParseError,
            QStringLiteral("Parse error: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (document.isArray())
        return failure(QJsonValue::Null, JsonRpcError::InvalidRequest,
            QStringLiteral("Invalid Request: batches are not supported (MCP 2025-06-18 removed them); "
                           "send one message at a time"));
    const QJsonObject object = document.object();
    const bool hasId = object.contains(QLatin1String("id"));
    const QJsonValue id = object.value(QLatin1String("id"));
    const QJsonValue replyId = hasId && isUsableId(id) ? id : QJsonValue(QJsonValue::Null);
    const QJsonValue method = object.value(QLatin1String("method"));

    if (object.value(QLatin1String("jsonrpc")) != QLatin1String("2.0"))
        return hasId || !method.isString() ? failure(replyId, JsonRpcError::InvalidRequest,
                   QStringLiteral("Invalid Request: \"jsonrpc\" must be \"2.0\""))
                                           : JsonRpcParsed {};
    if (hasId && !isUsableId(id))
        return failure(QJsonValue::Null, JsonRpcError::InvalidRequest,
            QStringLiteral("Invalid Request: \"id\" must be a string or an integer (not null)"));

    JsonRpcMessage message;
    if (!object.contains(QLatin1String("method"))) {
        // A client's answer to a request of ours; we send none, so it is only dropped.
        if (hasId && (object.contains(QLatin1String("result")) || object.contains(QLatin1String("error")))) {
            message.kind = JsonRpcMessage::Kind::Response;
            message.id = id;
            return { message, std::nullopt };
        }
        return failure(replyId, JsonRpcError::InvalidRequest, QStringLiteral("Invalid Request: \"method\" is missing"));
    }
    if (!method.isString() || method.toString().isEmpty())
        return hasId ? failure(replyId, JsonRpcError::InvalidRequest,
                   QStringLiteral("Invalid Request: \"method\" must be a non-empty string"))
                     : JsonRpcParsed {};
    const QJsonValue params = object.value(QLatin1String("params"));
    if (!params.isUndefined() && !params.isObject())
        return hasId ? failure(
                   replyId, JsonRpcError::InvalidParams, QStringLiteral("Invalid params: \"params\" must be an object"))
                     : JsonRpcParsed {};
    message.kind = hasId ? JsonRpcMessage::Kind::Request : JsonRpcMessage::Kind::Notification;
    message.id = id;
    message.method = method.toString();
    message.params = params.toObject();
    return { message, std::nullopt };
}

QJsonObject jsonRpcResult(const QJsonValue &id, const QJsonObject &result)
{
    return { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") }, { QStringLiteral("id"), id },
        { QStringLiteral("result"), result } };
}

QJsonObject jsonRpcError(const QJsonValue &id, int code, const QString &message, const QJsonValue &data)
{
    QJsonObject error { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } };
    if (!data.isUndefined() && !data.isNull())
        error.insert(QStringLiteral("data"), data);
    return { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") }, { QStringLiteral("id"), id },
        { QStringLiteral("error"), error } };
}

QByteArray jsonRpcLine(const QJsonObject &message) { return QJsonDocument(message).toJson(QJsonDocument::Compact); }

} // namespace faultline
