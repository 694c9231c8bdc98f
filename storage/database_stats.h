#pragma once
// Figures about a database for the status bar and the projects view.
#include <QList>
#include <QString>

namespace faultline {

class Database;

struct DiscardedCount {
    qint64 projectId = 0;
    QString reason; // ratelimit_backoff, queue_overflow, …
    QString category; // error, transaction, …
    qint64 quantity = 0;
};

// Events the SDKs reported as lost on their side (client reports). projectId 0 = all.
QList<DiscardedCount> discardedCounts(Database &db, qint64 projectId = 0, QString *error = nullptr);

// Bytes on disk: the database file plus its write-ahead log.
qint64 databaseFileSize(const Database &db);
qint64 databaseFileSize(const QString &dbPath); // the same without a connection (a stat() each)

} // namespace faultline
