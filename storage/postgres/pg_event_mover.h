#pragma once
// Moving stored events from one issue to another on PostgreSQL (#18), as
// storage/event_mover.h does on SQLite, inside the caller's transaction
// (which holds both issues' rows locked): what a split moves. The counters
// move with the events (count, issue_facets: release, environment, tags,
// derived tags), both issues' first/last seen and latest title are read
// back from their events, and an issue left without events is deleted.
#include "storage/postgres/pg_connection.h"

#include <QList>

namespace faultline {

class PgEventMover {
public:
    explicit PgEventMover(PgConnection &connection)
        : m_connection(connection)
    {
    }

    // The events of `fromIssue` grouped by one of `keyIds` go to `toIssue`;
    // `toIssueIsNew`: it was made for them (its first title and level are
    // theirs). *moved: how many.
    PgStatus moveKeyEvents(
        qint64 fromIssue, const QList<qint64> &keyIds, qint64 toIssue, bool toIssueIsNew, qint64 *moved);

    // A new issue of `likeIssue`'s project and status, without events yet,
    // named "issue:ID" (it has no fingerprint of its own).
    PgResult<qint64> createIssue(qint64 likeIssue);
    // issues.fingerprint stays one of the issue's own key hashes (see
    // EventMover::releaseFingerprint): after a key moved away, "issue:ID".
    PgStatus releaseFingerprint(qint64 issueId);

private:
    PgStatus moveFacets(qint64 fromIssue, const QList<qint64> &keyIds, qint64 toIssue);
    PgStatus refreshIssue(qint64 issueId, bool fresh);

    PgConnection &m_connection;
};

} // namespace faultline
