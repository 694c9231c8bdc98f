#pragma once
// What a project's events take on disk, for retention by size (issue 15,
// finding 5): each event's compressed JSON plus the bytes of its attachments.
// An attachment body stored once for several events (same SHA-256) counts
// with each of them, so the figure errs on the side of pruning.
#include <QString>
#include <QtGlobal>

namespace faultline {

class Database;

// The project's stored bytes; -1 (and *error) on failure.
qint64 projectStoredBytes(Database &db, qint64 projectId, QString *error = nullptr);

// How many of the project's oldest events (received_ms, id order, as retention
// deletes them) must go for the rest to fit in maxBytes; -1 (and *error) on failure.
qint64 oldestEventsOverSize(Database &db, qint64 projectId, qint64 maxBytes, QString *error = nullptr);

} // namespace faultline
