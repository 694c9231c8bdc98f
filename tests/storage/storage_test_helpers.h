#pragma once
// Building and writing events for the storage tests without the collector.
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/incoming_event.h"
#include "storage/statement.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QVariantList>

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

// A hand-built event in project `projectId`, grouped by `fingerprint`.
inline IncomingEvent makeEvent(const QString &eventId, const QString &fingerprint, const QString &title,
    qint64 receivedMs = 1'700'000'000'000, qint64 projectId = 1)
{
    IncomingEvent incoming;
    incoming.projectId = projectId;
    incoming.receivedMs = receivedMs;
    incoming.event.eventId = eventId;
    incoming.event.timestamp = double(receivedMs) / 1000.0 - 1.0;
    incoming.event.level = QStringLiteral("error");
    incoming.event.message = title;
    incoming.event.raw = QJsonObject { { QStringLiteral("event_id"), eventId }, { QStringLiteral("message"), title } };
    incoming.issue.fingerprint = fingerprint;
    incoming.issue.title = title;
    incoming.issue.culprit = QStringLiteral("app.views in handler");
    return incoming;
}

// Writes `events` through a fresh EventWriter and waits for every outcome.
inline QList<WriteOutcome> writeAll(
    const QString &dbPath, const QList<IncomingEvent> &events, WriterOptions options = {})
{
    EventWriter writer(dbPath, options);
    QString error;
    if (!writer.start(&error)) {
        qWarning() << "writer did not start:" << error;
        return {};
    }
    QList<QFuture<WriteOutcome>> futures;
    for (const IncomingEvent &event : events) {
        auto future = writer.submit(event);
        if (!future) {
            qWarning() << "queue full";
            return {};
        }
        futures.append(*future);
    }
    QList<WriteOutcome> outcomes;
    for (auto &future : futures) {
        future.waitForFinished();
        outcomes.append(future.result());
    }
    return outcomes;
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
