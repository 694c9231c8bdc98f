#pragma once
// Read side of events: the events of an issue ("event N of M", newest first),
// events matching a search, their tags and attachments.
#include "model/event.h"
#include "model/query/query.h"
#include "storage/storage_error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace faultline {

class Database;

struct EventRow {
    qint64 rowId = 0; // events.id: the key for tags() and attachments()
    QString eventId;
    qint64 issueId = 0;
    qint64 projectId = 0;
    qint64 timestampMs = 0; // when it happened, per the client
    qint64 receivedMs = 0;
    QString level;
    QString title;
    QString message;
    QString exceptionType;
    QString exceptionValue;
    QString culprit;
    QString environment;
    QString release;
    QString platform;
    bool hasLocals = false;
    int httpStatus = 0; // 0 = unknown
    QStringList validationFields; // "body.email", …
    QList<Tag> derivedTags; // user, server_name, browser… (model/derived_tags.h)
    QByteArray rawJson; // the stored (scrubbed) event JSON; empty unless asked for
};

struct StoredAttachment {
    qint64 id = 0;
    QString filename;
    QString contentType;
    QString attachmentType;
    qint64 size = 0;
    QString sha256;
    QByteArray data; // empty unless asked for
};

// The columns an EventRow is read from, in its order (raw last, when asked for): for
// every backend's SELECT over `events`.
QString eventColumnsSql(bool withRaw);

class EventQueries {
public:
    explicit EventQueries(Database &db)
        : m_db(db)
    {
    }

    qint64 countForIssue(qint64 issueId, QString *error = nullptr) const;
    // Newest first: offset 0 is the latest event ("event 1 of countForIssue()"). limit 0 = all.
    QList<EventRow> forIssue(
        qint64 issueId, int limit, int offset = 0, bool withRaw = true, QString *error = nullptr) const;
    // How many of the issue's events are newer than this one (its offset in forIssue()).
    qint64 newerInIssue(qint64 issueId, qint64 receivedMs, qint64 rowId, QString *error = nullptr) const;
    // Events matching a search, newest first. limit 0 = all. On error: empty and *error set.
    QList<EventRow> search(const Query &query, int limit, int offset = 0, qint64 nowMs = 0, bool withRaw = true,
        QString *error = nullptr) const;
    // The events of one issue that match a search, newest first (the Events tab, list_events of the MCP server).
    QList<EventRow> searchInIssue(qint64 issueId, const Query &query, int limit, int offset = 0, qint64 nowMs = 0,
        bool withRaw = false, QString *error = nullptr) const;
    // projectId 0 = any project.
    // NotFound when no stored event has that id.
    StorageResult<EventRow> byEventId(const QString &eventId, qint64 projectId = 0, bool withRaw = true) const;

    QList<Tag> tags(qint64 eventRow) const;
    QList<StoredAttachment> attachments(qint64 eventRow, bool withData = true) const;

private:
    Database &m_db;
};

} // namespace faultline
