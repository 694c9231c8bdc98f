#pragma once
// Re-grouping a project on PostgreSQL (#18), with the rules of
// storage/regrouper.h (where each event goes, in order) and its shape: keys
// computed outside any transaction, then applied in short transactions of a
// few hundred events. Each transaction locks the issues it reads (the
// events' and those their new keys lead to) in id order first, as the
// collectors' batches and PgIssueMerger do (pg_transaction.h); it then reads
// again what it decides on, so a merge or a batch that committed meanwhile
// is seen, and gives up the step as a conflict (run again) when it touched
// another issue. Keys and issues it makes are inserted ON CONFLICT DO
// NOTHING: a collector that made the same key meanwhile wins, and the step
// runs again, finding it. Counters move with the events (PgEventMover), so a
// collector's events counted meanwhile are never lost or counted twice.
#include "storage/regrouper.h"

namespace faultline {

class PgConnection;

class PgRegrouper {
public:
    // `connection`: one of its own, with no transaction open.
    explicit PgRegrouper(PgConnection &connection, int eventsPerTransaction = 250);

    RegroupReport run(qint64 projectId, const RegroupProgress &progress = {});

private:
    PgConnection &m_connection;
    int m_step;
};

} // namespace faultline
