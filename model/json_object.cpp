#include "model/json_object.h"

#include "model/json_dom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace faultline {

namespace {

QString withoutLoneSurrogates(QString text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        else if (text.at(i).isSurrogate())
            text[i] = QChar::ReplacementCharacter;
    }
    return text;
}

// Python sends undecodable bytes as lone surrogates ("\udc80"); Qt reads them,
// simdjson does not. Sentry's normaliser makes them U+FFFD; so does this.
QJsonValue withoutLoneSurrogates(const QJsonValue &value)
{
    if (value.isString())
        return withoutLoneSurrogates(value.toString());
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &element : value.toArray())
            array.append(withoutLoneSurrogates(element));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object;
        const QJsonObject original = value.toObject();
        for (auto it = original.begin(); it != original.end(); ++it)
            object.insert(withoutLoneSurrogates(it.key()), withoutLoneSurrogates(it.value()));
        return object;
    }
    return value;
}

// Qt writes a whole double below 1e21 as plain digits, as JavaScript does;
// simdjson refuses an integer beyond 64 bits. Such a number gets ".0", so
// both read the same double. `json` is Qt's compact output: strings are
// well-formed, with '"' and '\\' escaped.
QByteArray withDecimalPoints(const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size() + 16);
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (inString) {
            out.append(c);
            if (c == '\\' && i + 1 < json.size())
                out.append(json.at(++i));
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            out.append(c);
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            out.append(c);
            continue;
        }
        qsizetype end = i + 1;
        bool wholeNumber = true;
        for (; end < json.size(); ++end) {
            const char next = json.at(end);
            const bool digit = next >= '0' && next <= '9';
            if (!digit && next != '.' && next != 'e' && next != 'E' && next != '+' && next != '-')
                break;
            wholeNumber = wholeNumber && digit;
        }
        const qsizetype digits = end - i - (c == '-' ? 1 : 0);
        out.append(json.constData() + i, end - i);
        if (wholeNumber && digits > 19)
            out.append(".0");
        i = end - 1;
    }
    return out;
}

} // namespace

Result<QJsonObject> parseJsonObject(const QByteArray &json, const QString &what)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        // Qt refuses scalar roots ("42") as a syntax error; report them as what they are.
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + json + ']');
        if (wrapped.isArray() && wrapped.array().size() == 1)
            return FieldError { QJsonArray {}, QStringLiteral("%1 must be a JSON object").arg(what),
                QStringLiteral("type_error.object") };
        return FieldError { QJsonArray {},
            QStringLiteral("%1 is not valid JSON: %2 at offset %3").arg(what, error.errorString()).arg(error.offset),
            QStringLiteral("json_invalid") };
    }
    if (!document.isObject())
        return FieldError { QJsonArray {}, QStringLiteral("%1 must be a JSON object").arg(what),
            QStringLiteral("type_error.object") };
    return document.object();
}

Result<json::Document> parseJsonDocument(const QByteArray &json, const QString &what)
{
    if (std::optional<json::Document> document = json::Document::parse(json); document && document->root().isObject())
        return std::move(*document);
    Result<QJsonObject> object = parseJsonObject(json, what);
    if (!object)
        return object.errors();
    const QByteArray normalised = withDecimalPoints(
        QJsonDocument(withoutLoneSurrogates(object.value()).toObject()).toJson(QJsonDocument::Compact));
    if (std::optional<json::Document> document = json::Document::parse(normalised))
        return std::move(*document);
    return FieldError { QJsonArray {}, QStringLiteral("%1 is not valid JSON").arg(what),
        QStringLiteral("json_invalid") };
}

} // namespace faultline
