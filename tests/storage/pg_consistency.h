#pragma once
// What must hold in a PostgreSQL project after issues changed hands while
// collectors wrote (merges, splits, rule removals, re-grouping; #18): every
// figure of an issue is its stored events'.
#include "support/pg_number.h"

#include <QPair>
#include <QStringList>

namespace faultline::test {

// Figures of `projectId` that disagree with its stored events, per kind; empty when all agree.
inline QStringList pgInconsistencies(PgConnection &db, qint64 projectId)
{
    const PgParams project { PgParam::integer(projectId) };
    const QList<QPair<QString, QString>> checks {
        { QStringLiteral("issues whose count is not their events"),
            QStringLiteral("SELECT count(*) FROM issues i WHERE i.project_id = $1 AND i.count <> "
                           "(SELECT count(*) FROM events e WHERE e.issue_id = i.id)") },
        { QStringLiteral("issues whose first/last seen are not their events'"),
            QStringLiteral(
                "SELECT count(*) FROM issues i WHERE i.project_id = $1 AND (i.first_seen_ms, i.last_seen_ms) "
                "<> (SELECT min(received_ms), max(received_ms) FROM events e WHERE e.issue_id = i.id)") },
        { QStringLiteral("events of an issue of another project or none"),
            QStringLiteral("SELECT count(*) FROM events e WHERE e.project_id = $1 AND NOT EXISTS "
                           "(SELECT 1 FROM issues i WHERE i.id = e.issue_id AND i.project_id = $1)") },
        { QStringLiteral("events whose key leads elsewhere"),
            QStringLiteral("SELECT count(*) FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id "
                           "WHERE e.project_id = $1 AND k.issue_id <> e.issue_id") },
        { QStringLiteral("tag counters that are not the tagged events"),
            QStringLiteral("SELECT count(*) FROM (SELECT e.issue_id, 'tag:' || t.key AS key, t.value, count(*) AS n "
                           "FROM events e JOIN event_tags t ON t.event_row = e.id AND t.received_ms = e.received_ms "
                           "WHERE e.project_id = $1 GROUP BY 1, 2, 3) c FULL JOIN (SELECT f.* FROM issue_facets f "
                           "JOIN issues i ON i.id = f.issue_id WHERE i.project_id = $1 AND f.key LIKE 'tag:%') f "
                           "ON f.issue_id = c.issue_id AND f.key = c.key AND f.value = c.value "
                           "WHERE f.events IS DISTINCT FROM c.n") },
        { QStringLiteral("release counters that are not the events"),
            QStringLiteral(
                "SELECT count(*) FROM (SELECT issue_id, release, count(*) AS n, min(received_ms) AS first, "
                "max(received_ms) AS last FROM events WHERE project_id = $1 GROUP BY 1, 2) c FULL JOIN "
                "(SELECT f.* FROM issue_facets f JOIN issues i ON i.id = f.issue_id WHERE i.project_id = $1 "
                "AND f.key = 'release') f ON f.issue_id = c.issue_id AND f.value = c.release "
                "WHERE (f.events, f.first_seen_ms, f.last_seen_ms) IS DISTINCT FROM (c.n, c.first, c.last)") },
    };
    QStringList wrong;
    for (const auto &[what, sql] : checks)
        if (const qint64 n = pgNumber(db, sql, project); n != 0)
            wrong.append(QStringLiteral("%1: %2").arg(what).arg(n));
    return wrong;
}

} // namespace faultline::test
