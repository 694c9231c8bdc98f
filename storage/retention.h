#pragma once
// Retention: deletes a project's events past its age, count and size limits, in
// small transactions so the event writer never waits long for the lock, fixes
// up the issues they belonged to, and gives the freed pages back to the file
// system (incremental vacuum).
#include "storage/project_settings.h"

#include <QMetaType>
#include <QString>

#include <chrono>
#include <functional>

namespace faultline {

class Database;

struct PruneReport {
    qint64 eventsDeleted = 0;
    qint64 issuesDeleted = 0; // issues left without any event
    qint64 bytesFreed = 0; // database + WAL size before minus after (0 if it did not shrink)
    bool cancelled = false;
    QString error; // empty when every step succeeded; what was committed before a failure stays deleted

    PruneReport &operator+=(const PruneReport &other);
};

// What a prune would delete now.
struct PrunePlan {
    qint64 totalEvents = 0; // the project's events
    qint64 eventsToDelete = 0;
    qint64 issuesToDelete = 0; // only counted when asked for (it reads every doomed event)
};

// Called after each committed batch, on the pruning thread; return false to cancel.
using PruneProgress = std::function<bool(qint64 deleted, qint64 total)>;

class Retention {
public:
    // `db` must be a read-write connection of its own (not the EventWriter's).
    // Batches shrink below maxEventsPerTransaction when one holds the write
    // lock longer than a few tens of milliseconds (long texts cost more).
    explicit Retention(Database &db, int maxEventsPerTransaction = 500);

    PrunePlan plan(
        const ProjectSettings &settings, qint64 nowMs, bool countIssues = false, QString *error = nullptr) const;

    // Deletes the project's events received more than maxAgeDays before nowMs,
    // then the oldest beyond maxEvents, then the oldest until the rest fit in
    // maxStoredMiB (storage/stored_size.h), with their tags, attachments, unshared
    // attachment bodies and full-text rows; recomputes count and first/last seen
    // of the issues they belonged to and deletes issues left empty; then merges
    // the full-text index (fully when a large share of it died) and reclaims
    // free pages. Committed batches stay deleted when cancelled.
    PruneReport prune(const ProjectSettings &settings, qint64 nowMs, const PruneProgress &progress = {});

    // Incremental vacuum in small steps, then a WAL checkpoint so the files
    // actually shrink. Returns false (and *error) when a step failed.
    bool reclaimSpace(QString *error = nullptr);

private:
    // Deletes up to `limit` of the project's oldest events received before `beforeMs`, in one transaction.
    // Returns how many, or -1 on failure (rolled back, *error set); *held is how long it held the lock.
    qint64 deleteOldestBatch(qint64 projectId, qint64 beforeMs, qint64 limit, qint64 *issuesDeleted,
        std::chrono::steady_clock::duration *held, QString *error);
    // Runs deleteOldestBatch until `limit` events went or none are left.
    bool deleteOldest(qint64 projectId, qint64 beforeMs, qint64 limit, PruneReport *report, qint64 *total,
        const PruneProgress &progress);
    bool prepareScratchTables(QString *error);
    // Merges the full-text index so deleted events' entries free their pages;
    // `full` merges everything, else only what FTS5 considers due.
    bool compactSearchIndex(bool full, QString *error);

    Database &m_db;
    qint64 m_maxBatch;
    bool m_scratchReady = false;
};

} // namespace faultline

Q_DECLARE_METATYPE(faultline::PruneReport)
