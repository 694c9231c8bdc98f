#pragma once
// Building and writing events for the storage tests without the collector.
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/incoming_event.h"
#include "storage/statement.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"
#include "support/prepared_events.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QVariantList>

#include <functional>
#include <memory>

namespace faultline::test {

// The first column of the first row of a query (-1 when there is none): for
// checking what landed in the database.
inline qint64 scalar(Database &db, const QString &sql, const QVariantList &values = {})
{
    Statement statement(db.handle(), sql);
    statement.bindAll(values);
    return statement.step() ? statement.int64(0) : -1;
}

// The event id a test names `name` ("a", "e1"): a valid one (32 hex digits), as
// preparation keeps only those: the name's bytes in hex, padded with zeros, so the
// same name is the same event (a client's retry), ids sort as their names do, and
// testEventName() reads the name back. A name that already is an id stays.
inline QString testEventId(const QString &name)
{
    static const QRegularExpression hex32(QStringLiteral("^[0-9a-f]{32}$"));
    const QByteArray bytes = name.toUtf8();
    if (hex32.match(name).hasMatch() || bytes.size() > 16)
        return hex32.match(name).hasMatch()
            ? name
            : QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex());
    return QString::fromLatin1(bytes.toHex()).leftJustified(32, QLatin1Char('0'));
}

// What every id testEventId() made of a name starting with `prefix` starts with (for LIKE).
inline QString testEventIdPrefix(const QString &prefix) { return QString::fromLatin1(prefix.toUtf8().toHex()); }

// The name testEventId() made `id` from; `id` itself when it was not made from one.
inline QString testEventName(const QString &id)
{
    QByteArray hex = id.toLatin1();
    while (hex.endsWith("00"))
        hex.chop(2);
    const QByteArray bytes = QByteArray::fromHex(hex);
    return !bytes.isEmpty() && testEventId(QString::fromUtf8(bytes)) == id ? QString::fromUtf8(bytes) : id;
}

// A message event in project `projectId`, prepared as the collector prepares it and
// then keyed by `fingerprint` (a storage test names its issues); `change` edits its
// JSON first (a release, a level, tags).
inline IncomingEvent makeEvent(const QString &eventId, const QString &fingerprint, const QString &title,
    qint64 receivedMs = 1'700'000'000'000, qint64 projectId = 1, const std::function<void(QJsonObject &)> &change = {})
{
    QJsonObject json { { QStringLiteral("event_id"), testEventId(eventId) },
        { QStringLiteral("timestamp"), double(receivedMs) / 1000.0 - 1.0 }, { QStringLiteral("level"), "error" },
        { QStringLiteral("message"), title }, { QStringLiteral("transaction"), "app.views in handler" } };
    if (change)
        change(json);
    IncomingEvent incoming = preparedEvent(json, receivedMs, projectId);
    incoming.issue.fingerprint = fingerprint;
    return incoming;
}

// The error event of fixture `baseName` (tests/fixtures), prepared as the collector
// prepares it; received a second after its own timestamp, unless `receivedMs` says when.
inline IncomingEvent preparedFixture(const QString &baseName, qint64 receivedMs = 0, qint64 projectId = 1)
{
    const QJsonObject json = fixtureEventJson(baseName);
    if (receivedMs <= 0)
        receivedMs = qint64(fixtureEvent(baseName).timestamp * 1000.0) + 1000;
    return preparedEvent(json, receivedMs, projectId);
}

// Every captured fixture's event that the collector accepts (sessions and client reports hold none),
// prepared as the collector prepares it, received at `receivedMs` into `projectId`.
inline QList<IncomingEvent> acceptedFixtureEvents(qint64 receivedMs, qint64 projectId = 1)
{
    QList<IncomingEvent> events;
    for (const QString &name : fixtureNames()) {
        const QJsonObject json = fixtureEventJson(name);
        if (json.isEmpty())
            continue;
        Result<IncomingEvent> prepared = IncomingEvent::prepare(
            QJsonDocument(json).toJson(QJsonDocument::Compact), EventOrigin { projectId, receivedMs, {}, {}, 0 });
        if (prepared)
            events.append(std::move(prepared).value());
    }
    return events;
}

// One lane: events are stored, numbered and judged in the order given
// (PostgreSQL's second lane may commit a later batch first; tst_event_writer
// and the collector's tests write through both).
inline WriterOptions oneLane(WriterOptions options = {})
{
    options.postgresLanes = 1;
    return options;
}

// Writes `events` through a fresh EventWriter and waits for every outcome.
inline QList<WriteOutcome> writeAll(
    const QString &dbPath, const QList<IncomingEvent> &events, WriterOptions options = oneLane())
{
    EventWriter writer(dbPath, options);
    QString error;
    if (!writer.start(&error)) {
        qWarning() << "writer did not start:" << error;
        return {};
    }
    return writeAndWait(writer, events).value_or(QList<WriteOutcome> {});
}

inline std::unique_ptr<Database> openOrFail(const QString &path, Database::Mode mode = Database::Mode::ReadWrite)
{
    QString error;
    auto db = Database::open(path, mode, &error);
    if (!db)
        qWarning() << "cannot open" << path << error;
    return db;
}

// A database of about 1 MB with 64 KB of garbage written over its middle, as a
// disk or a careless copy leaves one: its header reads fine, its pages do not.
inline bool makeDamagedDatabase(const QString &path)
{
    {
        auto db = openOrFail(path);
        QString error;
        if (!db
            || !execSql(db->handle(),
                "CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                "2000) "
                "INSERT INTO filler SELECT randomblob(500) FROM n;",
                &error))
            return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite) || !file.seek(file.size() / 2))
        return false;
    return file.write(QByteArray(64 * 1024, '\x5a')) == 64 * 1024;
}

} // namespace faultline::test
