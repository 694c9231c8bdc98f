#pragma once
// Moving stored events from one issue to another on PostgreSQL (#18), as
// storage/event_mover.h does on SQLite, inside the caller's transaction
// (which holds both issues' rows locked): what a split moves. The counters
// move with the events (count, issue_facets: release, environment, tags,
// derived tags), both issues' first/last seen and latest title are read
// back from their events, and an issue left without events is deleted.
#include "storage/postgres/pg_connection.h"

#include <QList>
#include <QPair>

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

    // Events by row, each with the key it is grouped by from now on, from
    // `fromIssue` to `toIssue` (which may be the same: only the keys change),
    // counters moved as moveKeyEvents moves them. The issues are not
    // refreshed: the caller calls refreshIssue() once per issue after its moves.
    PgStatus moveEvents(
        qint64 fromIssue, const QList<QPair<qint64, qint64>> &rowsAndKeys, qint64 toIssue, bool toIssueIsNew);
    // First/last seen, latest title (and for a `fresh` issue, made for the
    // moved events, its level and first title) read back from its events;
    // deleted when it has none left (*deleted, may be null, says so).
    PgStatus refreshIssue(qint64 issueId, bool fresh, bool *deleted = nullptr);

    // A new issue of `likeIssue`'s project and status, without events yet,
    // named `fingerprint`, or "issue:ID" without one. A Conflict when another
    // writer made an issue with that fingerprint meanwhile.
    PgResult<qint64> createIssue(qint64 likeIssue, const QString &fingerprint = {});
    // issues.fingerprint stays one of the issue's own key hashes (see
    // EventMover::releaseFingerprint): after a key moved away, "issue:ID".
    PgStatus releaseFingerprint(qint64 issueId);

private:
    PgConnection &m_connection;
};

} // namespace faultline
