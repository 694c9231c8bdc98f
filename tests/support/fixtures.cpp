#include "support/fixtures.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <zlib.h>

namespace faultline::test {

namespace {

const QString metaSuffix = QStringLiteral(".meta.json");

QString baseNameOf(const QString &name) { return name.endsWith(metaSuffix) ? name.chopped(metaSuffix.size()) : name; }

// The legacy raven clients' body: base64 of zlib-deflated JSON.
QByteArray base64Inflated(const QByteArray &text)
{
    const QByteArray deflated = QByteArray::fromBase64(text);
    z_stream stream {};
    if (inflateInit(&stream) != Z_OK)
        return {};
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(deflated.constData()));
    stream.avail_in = uInt(deflated.size());
    QByteArray out;
    char buffer[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef *>(buffer);
        stream.avail_out = sizeof buffer;
        rc = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
    }
    inflateEnd(&stream);
    if (rc != Z_STREAM_END) {
        qWarning() << "fixture body is not base64 of zlib data";
        return {};
    }
    return out;
}

} // namespace

QString fixturePath(const QString &fileName) { return QDir(QStringLiteral(FAULTLINE_FIXTURES_DIR)).filePath(fileName); }

QByteArray readFixture(const QString &fileName)
{
    QFile file(fixturePath(fileName));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning() << "fixture missing or unreadable:" << file.fileName() << file.errorString();
        return {};
    }
    return file.readAll();
}

QJsonObject fixtureMeta(const QString &baseName)
{
    const QByteArray data = readFixture(baseNameOf(baseName) + metaSuffix);
    if (data.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (!doc.isObject()) {
        qWarning() << "fixture meta is not a JSON object:" << baseName << error.errorString();
        return {};
    }
    return doc.object();
}

QList<QPair<QByteArray, QByteArray>> fixtureHeaders(const QString &baseName)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    const QJsonArray pairs = fixtureMeta(baseName).value(QStringLiteral("headers")).toArray();
    for (const QJsonValue &pair : pairs) {
        const QJsonArray nameValue = pair.toArray();
        if (nameValue.size() != 2)
            continue;
        headers.append({ nameValue.at(0).toString().toUtf8(), nameValue.at(1).toString().toUtf8() });
    }
    return headers;
}

QByteArray fixtureBody(const QString &baseName)
{
    const QString bodyFile = fixtureMeta(baseName).value(QStringLiteral("body_file")).toString();
    if (bodyFile.isEmpty()) {
        qWarning() << "fixture meta names no body_file:" << baseName;
        return {};
    }
    if (fixtureMeta(baseName).value(QStringLiteral("body_encoding")).toString() == QLatin1String("base64+zlib"))
        return base64Inflated(readFixture(bodyFile));
    return readFixture(bodyFile);
}

QStringList fixtureNames()
{
    const QDir dir(QStringLiteral(FAULTLINE_FIXTURES_DIR));
    QStringList names;
    for (const QString &file : dir.entryList({ QStringLiteral("*") + metaSuffix }, QDir::Files, QDir::Name))
        names.append(baseNameOf(file));
    return names;
}

} // namespace faultline::test
