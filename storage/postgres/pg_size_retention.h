#pragma once
// Retention by size on PostgreSQL (#18): a project over its max_stored_mib
// loses its oldest events until the rest fit, as on SQLite (storage/retention.h;
// what counts is storage/stored_size.h's measure: each event's compressed JSON
// plus its attachments' sizes). A month's partition holds every project's
// events, so these go as rows, a few hundred per short transaction: their
// deduplication keys first, then the issues' rows locked in id order (the
// collectors' order, pg_transaction.h), the events locked and read again (a
// merge may have moved one, another collector's run deleted it), the issues'
// counts lowered by what goes and first seen taken from the events kept, the
// tags, attachments and events deleted, issues left empty deleted; after the
// commit, attachment bodies no event uses any more.
//
// The work is measured once per run and project, and one collector at a time
// does it (a session advisory lock per project; the others skip it), so
// collectors sharing the database never delete the same excess twice.
#include "storage/postgres/pg_connection.h"
#include "storage/project_settings.h"

namespace faultline {

struct PgSizePruned {
    qint64 events = 0;
    qint64 issuesDeleted = 0; // issues left without events

    PgSizePruned &operator+=(const PgSizePruned &other);
};

class PgSizeRetention {
public:
    explicit PgSizeRetention(PgConnection &connection, int eventsPerBatch = 500);

    // How many of the project's oldest events (received_ms, id order) must go
    // for the rest to fit in maxBytes.
    PgResult<qint64> oldestEventsOverSize(qint64 projectId, qint64 maxBytes);

    // Deletes them (nothing when the project sets no size limit, or when
    // another session is pruning it now).
    PgResult<PgSizePruned> prune(const ProjectSettings &settings);

private:
    // Up to `limit` of the project's oldest events, in one transaction, tried
    // again after a deadlock; events: 0 when none is left.
    PgResult<PgSizePruned> deleteOldestBatch(qint64 projectId, qint64 limit);

    PgConnection &m_connection;
    int m_eventsPerBatch;
};

} // namespace faultline
