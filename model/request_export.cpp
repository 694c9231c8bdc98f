#include "model/request_export.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace faultline {

namespace {

QString scalarText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isObject() || value.isArray())
        return QString::fromUtf8(value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                                                  : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return {};
}

// Headers and cookies arrive as an object, as [key, value] pairs, or as text.
QList<QPair<QString, QString>> pairsOf(const QJsonValue &value, QChar separator)
{
    QList<QPair<QString, QString>> pairs;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            pairs.append({ it.key(), scalarText(it.value()) });
    } else if (value.isArray()) {
        for (const QJsonValue &entry : value.toArray())
            if (const QJsonArray pair = entry.toArray(); pair.size() >= 2)
                pairs.append({ scalarText(pair.at(0)), scalarText(pair.at(1)) });
    } else if (value.isString()) {
        for (const QString &part : value.toString().split(separator, Qt::SkipEmptyParts)) {
            const qsizetype eq = part.indexOf(separator == QLatin1Char('\n') ? QLatin1Char(':') : QLatin1Char('='));
            pairs.append({ part.left(eq).trimmed(), eq < 0 ? QString() : part.mid(eq + 1).trimmed() });
        }
    }
    return pairs;
}

bool isScrubbed(const QString &value) { return value.contains(scrubbedPlaceholder()); }

bool clientSetsHeader(const QString &name)
{
    static const QStringList managed = { QStringLiteral("host"), QStringLiteral("content-length"),
        QStringLiteral("connection"), QStringLiteral("transfer-encoding") };
    return managed.contains(name.toLower());
}

QString queryText(const QJsonValue &query)
{
    if (query.isString())
        return query.toString();
    QUrlQuery encoded;
    for (const auto &[key, value] : pairsOf(query, QLatin1Char('&')))
        encoded.addQueryItem(key, value);
    return encoded.toString(QUrl::FullyEncoded);
}

QString shellQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

void noteScrubbedFields(const QJsonObject &object, QStringList &parts)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isObject())
            noteScrubbedFields(it.value().toObject(), parts);
        else if (isScrubbed(scalarText(it.value())))
            parts.append(QStringLiteral("body field ") + it.key());
    }
}

QByteArray bodyOf(const QJsonValue &data, const QString &contentType, HttpRequestSpec &spec)
{
    if (data.isUndefined() || data.isNull())
        return {};
    if (data.isString()) {
        spec.bodyScrubbed = isScrubbed(data.toString());
        if (spec.bodyScrubbed)
            spec.scrubbedParts.append(QStringLiteral("body"));
        return data.toString().toUtf8();
    }
    const qsizetype notedBefore = spec.scrubbedParts.size();
    if (data.isObject())
        noteScrubbedFields(data.toObject(), spec.scrubbedParts);
    spec.bodyScrubbed = spec.scrubbedParts.size() > notedBefore;
    if (data.isObject() && contentType.contains(QLatin1String("x-www-form-urlencoded"))) {
        QByteArrayList form;
        for (const auto &[key, value] : pairsOf(data, QLatin1Char('&')))
            form.append(QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value));
        return form.join('&');
    }
    return scalarText(data).toUtf8();
}

} // namespace

HttpRequestSpec requestSpecFromEvent(const QJsonObject &request)
{
    HttpRequestSpec spec;
    const QString method = request.value(QLatin1String("method")).toString().toUpper();
    if (!method.isEmpty())
        spec.method = method;
    spec.url = request.value(QLatin1String("url")).toString();
    const QString query = queryText(request.value(QLatin1String("query_string")));
    if (!spec.url.isEmpty() && !query.isEmpty() && !spec.url.contains(QLatin1Char('?')))
        spec.url += QLatin1Char('?') + query;

    QString contentType;
    bool hasCookieHeader = false;
    for (const auto &[name, value] : pairsOf(request.value(QLatin1String("headers")), QLatin1Char('\n'))) {
        if (name.isEmpty() || clientSetsHeader(name))
            continue;
        const bool scrubbed = isScrubbed(value);
        spec.headers.append({ name, value, scrubbed });
        if (scrubbed)
            spec.scrubbedParts.append(QStringLiteral("header ") + name);
        if (name.compare(QLatin1String("content-type"), Qt::CaseInsensitive) == 0)
            contentType = value.toLower();
        hasCookieHeader = hasCookieHeader || name.compare(QLatin1String("cookie"), Qt::CaseInsensitive) == 0;
    }
    const auto cookies = pairsOf(request.value(QLatin1String("cookies")), QLatin1Char(';'));
    if (!cookies.isEmpty() && !hasCookieHeader) {
        QStringList jar;
        bool anyScrubbed = false;
        for (const auto &[name, value] : cookies) {
            jar.append(name + QLatin1Char('=') + value);
            if (isScrubbed(value)) {
                spec.scrubbedParts.append(QStringLiteral("cookie ") + name);
                anyScrubbed = true;
            }
        }
        spec.headers.append({ QStringLiteral("Cookie"), jar.join(QStringLiteral("; ")), anyScrubbed });
    }
    spec.body = bodyOf(request.value(QLatin1String("data")), contentType, spec);
    return spec;
}

QString curlCommand(const HttpRequestSpec &spec)
{
    QStringList lines;
    if (!spec.scrubbedParts.isEmpty())
        lines << QStringLiteral("# %1 marks values scrubbed before the event was stored: %2")
                     .arg(scrubbedPlaceholder(), spec.scrubbedParts.join(QStringLiteral(", ")))
              << QStringLiteral("# Put the real values in before running this.");
    QString first = QStringLiteral("curl");
    if (spec.method != QLatin1String("GET") || !spec.body.isEmpty())
        first += QStringLiteral(" -X ") + spec.method;
    QStringList command = { first + QLatin1Char(' ') + shellQuoted(spec.url) };
    for (const RequestHeader &header : spec.headers)
        command << QStringLiteral("-H ") + shellQuoted(header.name + QStringLiteral(": ") + header.value);
    if (!spec.body.isEmpty())
        command << QStringLiteral("--data-raw ") + shellQuoted(QString::fromUtf8(spec.body));
    lines << command.join(QStringLiteral(" \\\n  "));
    return lines.join(QLatin1Char('\n'));
}

QUrl replayUrl(const QString &baseUrl, const QString &originalUrl)
{
    const QUrl base(baseUrl.trimmed(), QUrl::StrictMode);
    if (!base.isValid() || base.host().isEmpty()
        || (base.scheme() != QLatin1String("http") && base.scheme() != QLatin1String("https")))
        return {};
    const QUrl original(originalUrl);
    QUrl target;
    target.setScheme(base.scheme());
    target.setHost(base.host());
    target.setPort(base.port());
    QString path = base.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    const QString originalPath = original.path(QUrl::FullyEncoded);
    target.setPath(path + (originalPath.startsWith(QLatin1Char('/')) ? originalPath : QLatin1Char('/') + originalPath),
        QUrl::StrictMode);
    if (original.hasQuery())
        target.setQuery(original.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return target;
}

} // namespace faultline
