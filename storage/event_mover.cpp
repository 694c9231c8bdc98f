#include "storage/event_mover.h"

#include "model/derived_tags.h"
#include "model/query/query.h"
#include "storage/facet_count.h"
#include "storage/statement.h"

#include <QHash>
#include <QUuid>

namespace faultline {

namespace {

bool fail(const Statement &statement, QString *error, const char *what)
{
    if (error)
        *error = QStringLiteral("%1: %2").arg(QLatin1String(what), statement.error());
    return false;
}

struct FacetDeltas {
    QHash<FacetKey, qint64> removed;
    QHash<FacetKey, FacetCount> added;

    void note(qint64 from, qint64 to, qint64 receivedMs, const QString &key, const QString &value)
    {
        ++removed[FacetKey { from, key, value }];
        added[FacetKey { to, key, value }].add(receivedMs);
    }
};

bool readFacetDeltas(sqlite3 *db, FacetDeltas &deltas, QString *error)
{
    Statement columns(db,
        QStringLiteral("SELECT m.from_issue, m.to_issue, e.received_ms, e.release, e.environment, e.derived_tags "
                       "FROM temp.moving_events m JOIN events e ON e.id = m.id WHERE m.from_issue <> m.to_issue"));
    while (columns.step()) {
        const qint64 from = columns.int64(0), to = columns.int64(1), received = columns.int64(2);
        if (const QString release = columns.text(3); !release.isEmpty())
            deltas.note(from, to, received, QStringLiteral("release"), release);
        if (const QString environment = columns.text(4); !environment.isEmpty())
            deltas.note(from, to, received, QStringLiteral("environment"), environment);
        for (const Tag &tag : parseDerivedTagsColumn(columns.text(5)))
            deltas.note(from, to, received, QStringLiteral("derived:") + tag.first, tag.second);
    }
    if (!columns.error().isEmpty())
        return fail(columns, error, "reading the moved events' facets");
    Statement tags(db,
        QStringLiteral("SELECT m.from_issue, m.to_issue, e.received_ms, t.key, t.value FROM temp.moving_events m "
                       "JOIN events e ON e.id = m.id JOIN event_tags t ON t.event_row = m.id "
                       "WHERE m.from_issue <> m.to_issue"));
    while (tags.step())
        deltas.note(tags.int64(0), tags.int64(1), tags.int64(2), QStringLiteral("tag:") + tags.text(3), tags.text(4));
    if (!tags.error().isEmpty())
        return fail(tags, error, "reading the moved events' tags");

    return true;
}

bool writeFacetDeltas(sqlite3 *db, const FacetDeltas &deltas, QString *error)
{
    Statement subtract(db,
        QStringLiteral("UPDATE issue_facets SET events = events - ?1 WHERE issue_id = ?2 AND key = ?3 AND value = ?4"));
    Statement dropEmpty(
        db, QStringLiteral("DELETE FROM issue_facets WHERE issue_id = ?1 AND key = ?2 AND value = ?3 AND events <= 0"));
    for (auto it = deltas.removed.cbegin(); it != deltas.removed.cend(); ++it) {
        subtract.reset();
        subtract.bindAll({ it.value(), it.key().issueId, it.key().key, it.key().value });
        dropEmpty.reset();
        dropEmpty.bindAll({ it.key().issueId, it.key().key, it.key().value });
        if (!subtract.exec() || !dropEmpty.exec())
            return fail(subtract.error().isEmpty() ? dropEmpty : subtract, error, "uncounting the moved events");
        // When the issue's release and environment were first and last seen: from its
        // events, through the writer's indexes (issue_id, release|environment, received_ms).
        const QString &key = it.key().key;
        if (key != u"release" && key != u"environment")
            continue;
        Statement bounds(db,
            QStringLiteral("UPDATE issue_facets SET first_seen_ms = coalesce((SELECT min(received_ms) FROM events "
                           "WHERE issue_id = ?1 AND %1 = ?2), first_seen_ms), last_seen_ms = coalesce((SELECT "
                           "max(received_ms) FROM events WHERE issue_id = ?1 AND %1 = ?2), last_seen_ms) "
                           "WHERE issue_id = ?1 AND key = ?3 AND value = ?2")
                .arg(key));
        bounds.bindAll({ it.key().issueId, it.key().value, key });
        if (!bounds.exec())
            return fail(bounds, error, "dating the issue's release and environment");
    }
    Statement upsert(db, QString::fromLatin1(kUpsertFacetSql));
    for (auto it = deltas.added.cbegin(); it != deltas.added.cend(); ++it) {
        upsert.reset();
        upsert.bindAll({ it.key().issueId, it.key().key, it.key().value, it->events, it->firstSeenMs, it->lastSeenMs });
        if (!upsert.exec())
            return fail(upsert, error, "counting the moved events");
    }
    return true;
}

} // namespace

bool EventMover::move(
    const QList<EventMove> &moves, const QSet<qint64> &freshIssues, QList<qint64> *deleted, QString *error)
{
    if (!execSql(m_db,
            "CREATE TEMP TABLE IF NOT EXISTS moving_events(id INTEGER PRIMARY KEY, from_issue INTEGER NOT NULL, "
            "to_issue INTEGER NOT NULL, key_id INTEGER); DELETE FROM temp.moving_events;",
            error))
        return false;
    Statement insert(m_db, QStringLiteral("INSERT OR REPLACE INTO temp.moving_events VALUES (?, ?, ?, ?)"));
    QSet<qint64> touched;
    for (const EventMove &move : moves) {
        insert.reset();
        insert.bindAll(
            { move.eventRow, move.fromIssue, move.toIssue, move.keyId > 0 ? QVariant(move.keyId) : QVariant() });
        if (!insert.exec())
            return fail(insert, error, "noting the events to move");
        if (move.fromIssue != move.toIssue)
            touched << move.fromIssue << move.toIssue;
    }
    touched += freshIssues; // an issue made for keys without stored events is deleted again
    FacetDeltas deltas;
    if (!readFacetDeltas(m_db, deltas, error))
        return false;

    Statement update(m_db,
        QStringLiteral("UPDATE events SET issue_id = m.to_issue, grouping_key_id = coalesce(m.key_id, "
                       "events.grouping_key_id) FROM temp.moving_events m WHERE events.id = m.id"));
    if (!update.exec())
        return fail(update, error, "moving the events");
    if (!writeFacetDeltas(m_db, deltas, error))
        return false;
    // Counts move by what moved: the writer keeps count equal to the issue's stored events.
    Statement counts(m_db,
        QStringLiteral("SELECT from_issue, to_issue, count(*) FROM temp.moving_events WHERE from_issue <> to_issue "
                       "GROUP BY from_issue, to_issue"));
    Statement add(m_db, QStringLiteral("UPDATE issues SET count = max(0, count + ?) WHERE id = ?"));
    QList<std::tuple<qint64, qint64, qint64>> moved;
    while (counts.step())
        moved.append({ counts.int64(0), counts.int64(1), counts.int64(2) });
    if (!counts.error().isEmpty())
        return fail(counts, error, "counting the moved events");
    for (const auto &[from, to, n] : moved) {
        for (const auto &[issue, delta] : { std::pair { from, -n }, std::pair { to, n } }) {
            add.reset();
            add.bindAll({ delta, issue });
            if (!add.exec())
                return fail(add, error, "counting the issue's events");
        }
    }
    for (qint64 issue : std::as_const(touched)) {
        bool empty = false;
        if (!refreshIssue(issue, freshIssues.contains(issue), &empty, error))
            return false;
        if (empty && deleted)
            deleted->append(issue);
    }
    return true;
}

bool EventMover::refreshIssue(qint64 issueId, bool fresh, bool *empty, QString *error)
{
    Statement latest(m_db,
        QStringLiteral("SELECT title, culprit, received_ms FROM events WHERE issue_id = ? "
                       "ORDER BY received_ms DESC, id DESC LIMIT 1"));
    latest.bind(1, issueId);
    if (!latest.step()) {
        if (!latest.error().isEmpty())
            return fail(latest, error, "reading the issue's latest event");
        *empty = true;
        Statement remove(m_db, QStringLiteral("DELETE FROM issues WHERE id = ?"));
        remove.bind(1, issueId);
        return remove.exec() || fail(remove, error, "deleting an issue left without events");
    }
    Statement earliest(m_db,
        QStringLiteral("SELECT title, culprit, received_ms FROM events WHERE issue_id = ? "
                       "ORDER BY received_ms, id LIMIT 1"));
    earliest.bind(1, issueId);
    if (!earliest.step())
        return fail(earliest, error, "reading the issue's first event");
    // The level is the most severe seen: an issue given events keeps its own or takes theirs.
    QString level;
    Statement levels(m_db,
        QStringLiteral("SELECT level FROM issues WHERE id = ?1 UNION "
                       "SELECT DISTINCT e.level FROM temp.moving_events m JOIN events e "
                       "ON e.id = m.id WHERE m.to_issue = ?1"));
    levels.bind(1, issueId);
    while (levels.step())
        if (level.isEmpty() || levelRank(levels.text(0)) > levelRank(level))
            level = levels.text(0);
    if (fresh) { // only its own events' levels count
        Statement own(m_db, QStringLiteral("SELECT DISTINCT level FROM events WHERE issue_id = ?"));
        own.bind(1, issueId);
        level.clear();
        while (own.step())
            if (level.isEmpty() || levelRank(own.text(0)) > levelRank(level))
                level = own.text(0);
    }
    Statement update(m_db,
        QStringLiteral("UPDATE issues SET title = ?2, culprit = ?3, last_seen_ms = ?4, first_seen_ms = ?5, level = ?6, "
                       "first_title = CASE WHEN ?7 THEN ?8 ELSE first_title END, "
                       "first_culprit = CASE WHEN ?7 THEN ?9 ELSE first_culprit END WHERE id = ?1"));
    update.bindAll({ issueId, latest.text(0), latest.text(1), latest.int64(2), earliest.int64(2), level, fresh ? 1 : 0,
        earliest.text(0), earliest.text(1) });
    *empty = false;
    return update.exec() || fail(update, error, "updating the issue");
}

qint64 EventMover::createIssue(
    qint64 likeIssue, const QString &fingerprint, const QString &title, const QString &culprit, QString *error)
{
    Statement insert(m_db,
        QStringLiteral("INSERT INTO issues(project_id, fingerprint, title, culprit, first_title, first_culprit, level, "
                       "status, substatus, resolved_after_release, ignore_until_ms, ignore_until_count, "
                       "ignore_baseline, count, first_seen_ms, last_seen_ms) "
                       "SELECT project_id, ?2, ?3, ?4, ?3, ?4, level, status, substatus, resolved_after_release, "
                       "ignore_until_ms, ignore_until_count, ignore_baseline, 0, first_seen_ms, last_seen_ms "
                       "FROM issues WHERE id = ?1 RETURNING id"));
    // Without a hash of its own (a split): a unique placeholder, then "issue:ID".
    insert.bindAll(
        { likeIssue, fingerprint.isEmpty() ? QStringLiteral("new:") + QUuid::createUuid().toString() : fingerprint,
            title, culprit });
    if (!insert.step()) {
        fail(insert, error, "creating the issue");
        if (error && insert.error().isEmpty())
            *error = QStringLiteral("no issue %1").arg(likeIssue);
        return 0;
    }
    const qint64 id = insert.int64(0);
    insert.reset();
    if (fingerprint.isEmpty()) {
        Statement rename(m_db, QStringLiteral("UPDATE issues SET fingerprint = 'issue:' || id WHERE id = ?"));
        rename.bind(1, id);
        if (!rename.exec())
            return fail(rename, error, "naming the new issue"), 0;
    }
    return id;
}

bool EventMover::releaseFingerprint(qint64 issueId, QString *error)
{
    Statement rename(m_db,
        QStringLiteral("UPDATE issues SET fingerprint = 'issue:' || id WHERE id = ? AND NOT EXISTS "
                       "(SELECT 1 FROM grouping_keys k WHERE k.issue_id = issues.id AND k.hash = issues.fingerprint)"));
    rename.bind(1, issueId);
    return rename.exec() || fail(rename, error, "renaming the issue's fingerprint");
}

} // namespace faultline
