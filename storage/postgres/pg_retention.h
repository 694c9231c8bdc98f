#pragma once
// Retention on PostgreSQL (#18): expired months go whole. The monthly
// partitions of events, event_tags and attachments are dropped (no row
// deletes, no bloat, no VACUUM debt); what SQLite's Retention
// (storage/retention.h) does besides follows it: the issues lose the events
// that went from their count, first and last seen come from the events kept,
// issues left without events are deleted, attachment bodies no event uses
// any more go, and refusal counts and SDK-reported drops age out per project.
//
// A month holds every project's events, so it goes when every project with
// events in it lets it go: its age limit (max_age_days) ended before the
// month did, or its count limit (max_events) is met by its newer events
// alone. Months go oldest first; the first one kept stops the run, and the
// month holding `now` never goes. So an event lives up to a month longer
// than its project's age limit says. The byte limit (max_stored_mib) fits
// no whole month: after the months, a project over it loses its oldest
// events as rows, in batches (pg_size_retention.h).
//
// The parents are locked (ACCESS EXCLUSIVE) only for one short transaction
// that fixes the issues and DETACHes the month's partitions, a catalog change;
// the detached tables are dropped after it (removing their files takes the
// file system a while, and needs no lock writers wait for). The deduplication keys of the month
// (event_ids, not partitioned) are deleted after it in small batches, and a
// later run finishes what an interrupted one left.
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_partitions.h"
#include "storage/postgres/pg_size_retention.h"
#include "storage/project_settings.h"

#include <QList>
#include <QString>

#include <functional>

namespace faultline {

// One month that has partitions, and what retention makes of it now.
struct PgRetentionMonth {
    PartitionMonth month;
    qint64 events = 0;
    bool expired = false;
    QString keptBecause; // when not expired: which project keeps it, and why
};

struct PgDroppedMonth {
    PartitionMonth month;
    qint64 events = 0;
    qint64 issuesDeleted = 0;
    qint64 detachMs = 0; // the transaction writers wait for: issues fixed, the partitions detached
    qint64 removeMs = 0; // then DROP TABLE of the detached partitions (their files), no lock on the parents
};

struct PgRetentionReport {
    QList<PgDroppedMonth> dropped;
    PgSizePruned overSize; // events deleted as rows, over their project's size limit
    qint64 eventKeysDeleted = 0; // event_ids rows of dropped months
    qint64 eventKeysMs = 0;
    qint64 bodiesDeleted = 0; // attachment bodies no event uses any more
    QString keptBecause; // why the oldest month left was kept ("" = none left)

    qint64 eventsDeleted() const; // in dropped months and over size limits
    qint64 issuesDeleted() const;
};

// Called after each dropped month; return false to stop.
using PgRetentionProgress = std::function<bool(const PgDroppedMonth &)>;

class PgRetention {
public:
    explicit PgRetention(PgConnection &connection);

    // Every project's retention limits (the defaults where it set none).
    PgResult<QList<ProjectSettings>> projectSettings();

    // The months that have partitions, oldest first; `expired` for those a
    // prune would drop now (a prefix of the list).
    PgResult<QList<PgRetentionMonth>> plan(const QList<ProjectSettings> &settings, qint64 nowMs);

    PgResult<PgRetentionReport> prune(
        const QList<ProjectSettings> &settings, qint64 nowMs, const PgRetentionProgress &progress = {});

    // Drops one month's partitions and fixes up its issues (see above). The
    // month must be the oldest one left and must have ended before now.
    PgResult<PgDroppedMonth> dropMonth(const PartitionMonth &month);

    // Deletes the deduplication keys (event_ids) older than every month kept,
    // in batches; how many.
    PgResult<qint64> deleteOrphanEventKeys(qint64 nowMs);

private:
    PgResult<QList<PartitionMonth>> months();
    // DROP TABLE of every detached month table (none is left but by a run that stopped half way).
    PgStatus dropDetachedMonths();
    PgStatus pruneDroppedEventCounts(const QList<ProjectSettings> &settings, qint64 nowMs);

    PgConnection &m_connection;
};

// The entry point for a collector's retention scheduler on PostgreSQL: every
// project's stored limits, expired months dropped, as `faultline prune --db
// postgresql://…` does. Safe while collectors write (short locks, retried
// next time when one waits too long).
PgResult<PgRetentionReport> prunePostgresPartitions(PgConnection &connection, qint64 nowMs);

} // namespace faultline
