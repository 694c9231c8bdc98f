#pragma once
// The PostgreSQL half of group commit (#18): one batch of prepared events
// (IncomingEvent with its columns and stored raw, as EventWriter hands them
// to BatchWriter for SQLite) in one transaction of multi-row statements.
// Several writers (collectors on other hosts) may write into the same
// issues at once:
// - an event id already stored (a retry through a load balancer, another
//   collector) is acknowledged with its issue and not stored or counted
//   again: event_ids' key, INSERT … ON CONFLICT DO NOTHING, decides;
// - an issue's counters only ever grow by what a batch adds, under a row lock
//   (known issues: SELECT … FOR UPDATE in id order) or an upsert (new ones:
//   INSERT … ON CONFLICT (project_id, fingerprint) DO UPDATE), so no update is lost;
// - a deadlock or serialization failure the server breaks up rolls the batch
//   back and writes it again: a conflict never loses an event.
// The COMMIT returns once the server flushed the batch (synchronous_commit = on).
// The events' words for the issue list's free text are added by the writer
// (PgIssueWords), only those new to their issue.
#include "storage/event_writer.h"
#include "storage/facet_count.h"
#include "storage/incoming_event.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_issue_words.h"
#include "storage/postgres/pg_partitions.h"

#include <QHash>
#include <QList>

namespace faultline {

struct PgBatchResult {
    QList<WriteOutcome> outcomes; // one per event, in order
    BatchSummary summary;
    int attempts = 1; // transactions it took (more than one after a conflict)
};

class PgBatchWriter {
public:
    explicit PgBatchWriter(PgConnection &connection);

    // Everything or nothing. Needs no open transaction.
    PgResult<PgBatchResult> write(const QList<const IncomingEvent *> &events);

    static constexpr int kMaxAttempts = 5;

private:
    struct Attempt;
    PgResult<PgBatchResult> writeOnce(const QList<const IncomingEvent *> &events);

    PgConnection &m_connection;
    PgPartitions m_partitions;
    PgIssueWords m_issueWords; // what this writer added to each issue's words
};

} // namespace faultline
