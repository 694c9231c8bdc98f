#include "support/fixture_replay.h"

#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace faultline::test {

namespace {
QByteArray withKey(QByteArray text, const QString &publicKey)
{
    return text.replace("publickey123", publicKey.toUtf8());
}
} // namespace

QByteArray replayRequest(const QString &fixture, qint64 projectId, const QString &publicKey, BodyForm form)
{
    const QJsonObject meta = fixtureMeta(fixture);
    const QString bodyFile = meta.value("body_file").toString();
    const bool compressed = !meta.value("original_content_encoding").isNull() && form == BodyForm::AsCaptured;
    const QByteArray body = compressed ? readFixture(bodyFile + ".gz") : readFixture(bodyFile);

    QByteArray path = meta.value("path").toString().toUtf8();
    path.replace("/api/42/", "/api/" + QByteArray::number(projectId) + "/");
    const QByteArray query = withKey(meta.value("query").toString().toUtf8(), publicKey);
    const QByteArray target = query.isEmpty() ? path : path + '?' + query;

    bool chunked = false;
    HeaderList headers;
    for (const auto &[name, value] : fixtureHeaders(fixture)) {
        if (name.compare("Content-Encoding", Qt::CaseInsensitive) == 0 && !compressed)
            continue;
        if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            chunked = true;
            continue; // buildRequest frames the body itself
        }
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            headers.append({ name, QByteArray::number(body.size()) });
            continue;
        }
        headers.append({ name, withKey(value, publicKey) });
    }
    // Some captures recorded no Content-Length although the client framed its body with one.
    const bool framed = chunked || std::any_of(headers.cbegin(), headers.cend(), [](const auto &header) {
        return header.first.compare("Content-Length", Qt::CaseInsensitive) == 0;
    });
    if (!framed)
        headers.append({ "Content-Length", QByteArray::number(body.size()) });
    return buildRequest("POST", target, headers, body, chunked);
}

RawResponse replay(quint16 port, const QString &fixture, qint64 projectId, const QString &publicKey, BodyForm form)
{
    return sendRaw(port, replayRequest(fixture, projectId, publicKey, form));
}

QString fixtureEventId(const QString &fixture)
{
    const QByteArray body = fixtureBody(fixture);
    const QByteArray firstLine = body.left(body.indexOf('\n') < 0 ? body.size() : body.indexOf('\n'));
    QString id = QJsonDocument::fromJson(firstLine).object().value("event_id").toString();
    if (id.isEmpty())
        id = QJsonDocument::fromJson(body).object().value("event_id").toString();
    return id.remove('-').toLower();
}

} // namespace faultline::test
