#include "storage/postgres/pg_event_mover.h"

#include "model/derived_tags.h"
#include "model/query/query.h"
#include "storage/facet_count.h"
#include "storage/postgres/pg_rows_statement.h"

#include <QMap>
#include <QSet>
#include <QUuid>

namespace faultline {

namespace {

using FacetValue = QPair<QString, QString>; // key, value

// What the moved events counted: the removed counts are the added ones' events.
struct MovedFacets {
    QMap<FacetValue, FacetCount> counts; // sorted: every writer upserts facet rows in one order
    QSet<QString> levels;

    // As the writer counts them (storage/event_columns.h): no empty release or environment.
    void note(qint64 receivedMs, const QString &key, const QString &value)
    {
        if (!value.isEmpty() || !(key == u"release" || key == u"environment"))
            counts[{ key, value }].add(receivedMs);
    }
};

PgStatus done(const PgResult<PgRows> &rows) { return rows ? PgStatus(PgDone {}) : PgStatus(rows.error()); }
PgStatus done(const PgResult<QList<PgRows>> &rows) { return rows ? PgStatus(PgDone {}) : PgStatus(rows.error()); }

PgParam flag(bool value) { return PgParam::text(QByteArray(value ? "t" : "f")); }

// The events of `fromIssue` whose `column` (grouping_key_id or id) is one of `values`.
PgResult<MovedFacets> readMovedFacets(
    PgConnection &connection, qint64 fromIssue, const char *column, const PgParam &values)
{
    MovedFacets moved;
    const auto columns
        = connection.exec(QStringLiteral("SELECT received_ms, release, environment, derived_tags, level FROM events "
                                         "WHERE issue_id = $1 AND %1 = ANY($2::bigint[])")
                              .arg(QLatin1String(column)),
            { PgParam::integer(fromIssue), values });
    if (!columns)
        return columns.error();
    for (int row = 0; row < columns->rowCount(); ++row) {
        const qint64 received = columns->int64(row, 0);
        moved.note(received, QStringLiteral("release"), columns->text(row, 1));
        moved.note(received, QStringLiteral("environment"), columns->text(row, 2));
        for (const Tag &tag : parseDerivedTagsColumn(columns->text(row, 3)))
            moved.note(received, QStringLiteral("derived:") + tag.first, tag.second);
        moved.levels.insert(columns->text(row, 4));
    }
    const auto tags
        = connection.exec(QStringLiteral("SELECT e.received_ms, t.key, t.value FROM events e JOIN event_tags t "
                                         "ON t.event_row = e.id AND t.received_ms = e.received_ms "
                                         "WHERE e.issue_id = $1 AND e.%1 = ANY($2::bigint[])")
                              .arg(QLatin1String(column)),
            { PgParam::integer(fromIssue), values });
    if (!tags)
        return tags.error();
    for (int row = 0; row < tags->rowCount(); ++row)
        moved.note(tags->int64(row, 0), QStringLiteral("tag:") + tags->text(row, 1), tags->text(row, 2));
    return moved;
}

PgStatus uncount(PgConnection &connection, qint64 fromIssue, const MovedFacets &moved)
{
    PgRowsStatement subtract(QStringLiteral("UPDATE issue_facets f SET events = f.events - v.n FROM (VALUES"),
        QStringLiteral(") v(issue, key, value, n) WHERE f.issue_id = v.issue AND f.key = v.key AND f.value = v.value"),
        4,
        { QStringLiteral("::bigint"), QStringLiteral("::text"), QStringLiteral("::text"), QStringLiteral("::bigint") });
    for (auto it = moved.counts.cbegin(); it != moved.counts.cend(); ++it)
        subtract.addRow({ PgParam::integer(fromIssue), PgParam::text(it.key().first), PgParam::text(it.key().second),
            PgParam::integer(it->events) });
    if (subtract.isEmpty())
        return PgDone {};
    if (PgStatus subtracted = done(subtract.exec(connection)); !subtracted)
        return subtracted;
    if (PgStatus dropped
        = done(connection.exec(QStringLiteral("DELETE FROM issue_facets WHERE issue_id = $1 AND events <= 0"),
            { PgParam::integer(fromIssue) }));
        !dropped)
        return dropped;
    // When the issue's release and environment were first and last seen: from its
    // remaining events, through the writer's indexes (issue_id, release|environment, received_ms).
    for (auto it = moved.counts.cbegin(); it != moved.counts.cend(); ++it) {
        const QString &key = it.key().first;
        if (key != u"release" && key != u"environment")
            continue;
        const auto dated = connection.exec(
            QStringLiteral("UPDATE issue_facets SET first_seen_ms = coalesce((SELECT min(received_ms) FROM events "
                           "WHERE issue_id = $1 AND %1 = $2), first_seen_ms), last_seen_ms = coalesce((SELECT "
                           "max(received_ms) FROM events WHERE issue_id = $1 AND %1 = $2), last_seen_ms) "
                           "WHERE issue_id = $1 AND key = $3 AND value = $2")
                .arg(key),
            { PgParam::integer(fromIssue), PgParam::text(it.key().second), PgParam::text(key) });
        if (!dated)
            return dated.error();
    }
    return PgDone {};
}

PgStatus count(PgConnection &connection, qint64 toIssue, const MovedFacets &moved)
{
    PgRowsStatement upsert(QString::fromLatin1(kPgUpsertFacetsHead), QString::fromLatin1(kPgUpsertFacetsTail), 6);
    for (auto it = moved.counts.cbegin(); it != moved.counts.cend(); ++it)
        upsert.addRow({ PgParam::integer(toIssue), PgParam::text(it.key().first), PgParam::text(it.key().second),
            PgParam::integer(it->events), PgParam::integer(it->firstSeenMs), PgParam::integer(it->lastSeenMs) });
    return upsert.isEmpty() ? PgStatus(PgDone {}) : done(upsert.exec(connection));
}

QString mostSevere(const QSet<QString> &levels, QString level = {})
{
    for (const QString &candidate : levels)
        if (level.isEmpty() || levelRank(candidate) > levelRank(level))
            level = candidate;
    return level;
}

// The moved events' counters, from `fromIssue` to `toIssue`.
PgStatus transferCounters(PgConnection &connection, qint64 fromIssue, qint64 toIssue, const MovedFacets &facets,
    qint64 moved, bool toIssueIsNew)
{
    if (PgStatus step = uncount(connection, fromIssue, facets); !step)
        return step;
    if (PgStatus step = count(connection, toIssue, facets); !step)
        return step;
    // Counts move by what moved: the writer keeps count equal to the issue's events received.
    if (PgStatus step = done(connection.exec(QStringLiteral("UPDATE issues SET count = CASE WHEN id = $1 THEN "
                                                            "greatest(0, count - $3) ELSE count + $3 END "
                                                            "WHERE id IN ($1, $2)"),
            { PgParam::integer(fromIssue), PgParam::integer(toIssue), PgParam::integer(moved) }));
        !step)
        return step;
    if (toIssueIsNew) // its level is its own events', read when it is refreshed
        return PgDone {};
    // It keeps its own level or takes the moved events'.
    const auto level
        = connection.exec(QStringLiteral("SELECT level FROM issues WHERE id = $1"), { PgParam::integer(toIssue) });
    if (!level)
        return level.error();
    return done(connection.exec(QStringLiteral("UPDATE issues SET level = $2 WHERE id = $1"),
        { PgParam::integer(toIssue),
            PgParam::text(mostSevere(facets.levels, level->rowCount() ? level->text(0, 0) : QString())) }));
}

} // namespace

PgStatus PgEventMover::moveKeyEvents(
    qint64 fromIssue, const QList<qint64> &keyIds, qint64 toIssue, bool toIssueIsNew, qint64 *moved)
{
    const PgParam keys = pgIntegerArray(keyIds);
    const PgResult<MovedFacets> facets = readMovedFacets(m_connection, fromIssue, "grouping_key_id", keys);
    if (!facets)
        return facets.error();
    const auto updated = m_connection.exec(
        QStringLiteral("UPDATE events SET issue_id = $3 WHERE issue_id = $1 AND grouping_key_id = ANY($2::bigint[])"),
        { PgParam::integer(fromIssue), keys, PgParam::integer(toIssue) });
    if (!updated)
        return updated.error();
    *moved = updated->affectedRows();
    if (PgStatus step = transferCounters(m_connection, fromIssue, toIssue, facets.value(), *moved, toIssueIsNew); !step)
        return step;
    if (PgStatus refreshed = refreshIssue(fromIssue, false); !refreshed)
        return refreshed;
    return refreshIssue(toIssue, toIssueIsNew);
}

PgStatus PgEventMover::moveEvents(
    qint64 fromIssue, const QList<QPair<qint64, qint64>> &rowsAndKeys, qint64 toIssue, bool toIssueIsNew)
{
    QList<qint64> rows;
    PgRowsStatement update(
        QStringLiteral("UPDATE events e SET issue_id = v.issue, grouping_key_id = v.key FROM (VALUES"),
        QStringLiteral(") v(id, issue, key) WHERE e.id = v.id"), 3,
        { QStringLiteral("::bigint"), QStringLiteral("::bigint"), QStringLiteral("::bigint") });
    for (const auto &[row, key] : rowsAndKeys) {
        rows.append(row);
        update.addRow({ PgParam::integer(row), PgParam::integer(toIssue), PgParam::integer(key) });
    }
    if (rows.isEmpty())
        return PgDone {};
    const PgResult<MovedFacets> facets = readMovedFacets(m_connection, fromIssue, "id", pgIntegerArray(rows));
    if (!facets)
        return facets.error();
    const auto updated = update.exec(m_connection);
    if (!updated)
        return updated.error();
    qint64 moved = 0;
    for (const PgRows &part : updated.value())
        moved += part.affectedRows();
    if (fromIssue == toIssue) // only the key changed
        return PgDone {};
    return transferCounters(m_connection, fromIssue, toIssue, facets.value(), moved, toIssueIsNew);
}

PgStatus PgEventMover::refreshIssue(qint64 issueId, bool fresh, bool *deleted)
{
    if (deleted)
        *deleted = false;
    const PgParams id { PgParam::integer(issueId) };
    const auto latest = m_connection.exec(QStringLiteral("SELECT title, culprit, received_ms FROM events WHERE "
                                                         "issue_id = $1 ORDER BY received_ms DESC, id DESC LIMIT 1"),
        id);
    if (!latest)
        return latest.error();
    if (latest->rowCount() == 0) { // left without events: deleted, as retention does
        if (deleted)
            *deleted = true;
        return done(m_connection.exec(QStringLiteral("DELETE FROM issues WHERE id = $1"), id));
    }
    const auto earliest = m_connection.exec(QStringLiteral("SELECT title, culprit, received_ms FROM events WHERE "
                                                           "issue_id = $1 ORDER BY received_ms, id LIMIT 1"),
        id);
    if (!earliest)
        return earliest.error();
    QString level;
    if (fresh) { // only its own events' levels count
        const auto levels
            = m_connection.exec(QStringLiteral("SELECT DISTINCT level FROM events WHERE issue_id = $1"), id);
        if (!levels)
            return levels.error();
        QSet<QString> own;
        for (int row = 0; row < levels->rowCount(); ++row)
            own.insert(levels->text(row, 0));
        level = mostSevere(own);
    }
    return done(m_connection.exec(
        QStringLiteral("UPDATE issues SET title = $2, culprit = $3, last_seen_ms = $4, first_seen_ms = $5, "
                       "level = CASE WHEN $6 = '' THEN level ELSE $6 END, "
                       "first_title = CASE WHEN $7::boolean THEN $8 ELSE first_title END, "
                       "first_culprit = CASE WHEN $7::boolean THEN $9 ELSE first_culprit END WHERE id = $1"),
        { PgParam::integer(issueId), PgParam::text(latest->text(0, 0)), PgParam::text(latest->text(0, 1)),
            PgParam::integer(latest->int64(0, 2)), PgParam::integer(earliest->int64(0, 2)), PgParam::text(level),
            flag(fresh), PgParam::text(earliest->text(0, 0)), PgParam::text(earliest->text(0, 1)) }));
}

PgResult<qint64> PgEventMover::createIssue(qint64 likeIssue, const QString &fingerprint)
{
    if (!fingerprint.isEmpty()) {
        // Another writer may have made an issue for this key meanwhile: a conflict, so the caller reads its key again.
        const auto inserted = m_connection.exec(
            QStringLiteral("INSERT INTO issues(project_id, fingerprint, level, status, substatus, "
                           "resolved_after_release, ignore_until_ms, ignore_until_count, ignore_baseline, count, "
                           "first_seen_ms, last_seen_ms) SELECT project_id, $2, level, status, substatus, "
                           "resolved_after_release, ignore_until_ms, ignore_until_count, ignore_baseline, 0, "
                           "first_seen_ms, last_seen_ms FROM issues WHERE id = $1 "
                           "ON CONFLICT (project_id, fingerprint) DO NOTHING RETURNING id"),
            { PgParam::integer(likeIssue), PgParam::text(fingerprint) });
        if (!inserted)
            return inserted.error();
        if (inserted->rowCount() == 0)
            return PgError { PgError::Kind::Conflict, {},
                QStringLiteral("an issue for %1 was made meanwhile").arg(fingerprint) };
        return inserted->int64(0, 0);
    }
    // A unique placeholder until the id is known, then "issue:ID".
    const auto inserted = m_connection.exec(
        QStringLiteral("INSERT INTO issues(project_id, fingerprint, level, status, substatus, resolved_after_release, "
                       "ignore_until_ms, ignore_until_count, ignore_baseline, count, first_seen_ms, last_seen_ms) "
                       "SELECT project_id, $2, level, status, substatus, resolved_after_release, ignore_until_ms, "
                       "ignore_until_count, ignore_baseline, 0, first_seen_ms, last_seen_ms FROM issues "
                       "WHERE id = $1 RETURNING id"),
        { PgParam::integer(likeIssue), PgParam::text(QStringLiteral("new:") + QUuid::createUuid().toString()) });
    if (!inserted)
        return inserted.error();
    if (inserted->rowCount() == 0)
        return PgError { PgError::Kind::Query, {}, QStringLiteral("no issue %1").arg(likeIssue) };
    const qint64 id = inserted->int64(0, 0);
    const auto named = m_connection.exec(
        QStringLiteral("UPDATE issues SET fingerprint = 'issue:' || id WHERE id = $1"), { PgParam::integer(id) });
    if (!named)
        return named.error();
    return id;
}

PgStatus PgEventMover::releaseFingerprint(qint64 issueId)
{
    return done(m_connection.exec(
        QStringLiteral("UPDATE issues SET fingerprint = 'issue:' || id WHERE id = $1 AND NOT EXISTS "
                       "(SELECT 1 FROM grouping_keys k WHERE k.issue_id = issues.id AND k.hash = issues.fingerprint)"),
        { PgParam::integer(issueId) }));
}

} // namespace faultline
