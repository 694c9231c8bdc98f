#include "model/json_object.h"
#include "model/json_dom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace faultline {

Result<QJsonObject> parseJsonObject(const QByteArray &json, const QString &what)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        // Qt refuses scalar roots ("42") as a syntax error; report them as what they are.
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + json + ']');
        if (wrapped.isArray() && wrapped.array().size() == 1)
            return FieldError{QJsonArray{}, QStringLiteral("%1 must be a JSON object").arg(what),
                              QStringLiteral("type_error.object")};
        return FieldError{QJsonArray{},
                          QStringLiteral("%1 is not valid JSON: %2 at offset %3")
                              .arg(what, error.errorString())
                              .arg(error.offset),
                          QStringLiteral("json_invalid")};
    }
    if (!document.isObject())
        return FieldError{QJsonArray{}, QStringLiteral("%1 must be a JSON object").arg(what),
                          QStringLiteral("type_error.object")};
    return document.object();
}

Result<json::Document> parseJsonDocument(const QByteArray &json, const QString &what)
{
    if (std::optional<json::Document> document = json::Document::parse(json); document && document->root().isObject())
        return std::move(*document);
    Result<QJsonObject> object = parseJsonObject(json, what);
    if (!object)
        return object.errors();
    const QByteArray normalised = QJsonDocument(object.value()).toJson(QJsonDocument::Compact);
    if (std::optional<json::Document> document = json::Document::parse(normalised))
        return std::move(*document);
    return FieldError{QJsonArray{}, QStringLiteral("%1 is not valid JSON").arg(what), QStringLiteral("json_invalid")};
}

}  // namespace faultline
