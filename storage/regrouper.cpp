#include "storage/regrouper.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/database.h"
#include "storage/event_mover.h"
#include "storage/raw_codec.h"
#include "storage/statement.h"

#include <QHash>
#include <QJsonDocument>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace faultline {

namespace {

using regrouping::Regrouped;
using regrouping::StoredKey;

// Everything one transaction needs, prepared once per run.
class Step {
public:
    Step(sqlite3 *db, qint64 projectId)
        : m_projectId(projectId)
        , m_current(db,
              QStringLiteral("SELECT e.issue_id, coalesce(e.grouping_key_id, 0), coalesce(k.linked_by, ''), "
                             "coalesce(k.hash, '') "
                             "FROM events e LEFT JOIN grouping_keys k ON k.id = e.grouping_key_id "
                             "WHERE e.id = ?"))
        , m_findKey(db, QStringLiteral("SELECT id, issue_id FROM grouping_keys WHERE project_id = ? AND hash = ?"))
        , m_hasCurrentKey(db,
              QStringLiteral("SELECT 1 FROM grouping_keys WHERE issue_id = ? AND strategy = ? "
                             "AND linked_by NOT IN ('merge', 'split') LIMIT 1"))
        , m_insertKey(db,
              QStringLiteral("INSERT INTO grouping_keys(project_id, hash, issue_id, strategy, explanation, linked_by) "
                             "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"))
        , m_extendRule(db,
              QStringLiteral("INSERT OR IGNORE INTO grouping_rule_keys(rule_id, hash) SELECT r.rule_id, ?1 "
                             "FROM grouping_rule_keys r JOIN grouping_rules g ON g.id = r.rule_id "
                             "WHERE g.project_id = ?2 AND r.hash = ?3"))
        , m_mover(db)
    {
    }

    bool apply(const QList<Regrouped> &events, RegroupReport *report, QString *error)
    {
        QList<EventMove> moves;
        QSet<qint64> fresh;
        for (const Regrouped &event : events) {
            m_current.reset();
            m_current.bind(1, event.row);
            if (!m_current.step()) {
                if (!m_current.error().isEmpty())
                    return say(m_current.error(), error);
                continue; // deleted meanwhile (retention)
            }
            const qint64 issue = m_current.int64(0), keyId = m_current.int64(1);
            const QString rule
                = m_current.text(2) == u"merge" || m_current.text(2) == u"split" ? m_current.text(2) : QString();
            const QString oldHash = m_current.text(3);
            StoredKey target;
            if (!findKey(event.key.fingerprint, &target, error))
                return false;
            if (target.id == 0) {
                target.issueId = issue;
                if (rule.isEmpty()) {
                    bool claimed = false;
                    if (!hasCurrentKey(issue, &claimed, error))
                        return false;
                    if (claimed) { // rule 4: the old strategy had put two bugs together
                        target.issueId = m_mover.createIssue(
                            issue, event.key.fingerprint, event.key.title, event.key.culprit, error);
                        if (target.issueId == 0)
                            return false;
                        fresh.insert(target.issueId);
                        ++report->newIssues;
                    }
                }
                // A key that follows a merged-in or split-off one belongs to that rule too:
                // it does not claim the issue, and removing the rule takes it along.
                const QString linkedBy = !rule.isEmpty() ? rule
                    : fresh.contains(target.issueId)     ? QStringLiteral("created")
                                                         : QStringLiteral("regroup");
                if (!insertKey(event.key, target.issueId, linkedBy, &target.id, error))
                    return false;
                if (!rule.isEmpty()) {
                    m_extendRule.reset();
                    m_extendRule.bindAll({ event.key.fingerprint, m_projectId, oldHash });
                    if (!m_extendRule.exec())
                        return say(m_extendRule.error(), error);
                }
            }
            if (target.issueId != issue || target.id != keyId)
                moves.append(EventMove { event.row, issue, target.issueId, target.id });
            report->moved += target.issueId != issue ? 1 : 0;
        }
        for (Statement *statement : { &m_current, &m_findKey, &m_hasCurrentKey, &m_insertKey })
            statement->reset(); // a statement left on a row would keep COMMIT from finishing
        QList<qint64> deleted;
        if (!m_mover.move(moves, fresh, &deleted, error))
            return false;
        report->issuesDeleted += deleted.size();
        m_keys.clear(); // the next step reads them again: a merge may have moved one meanwhile
        return true;
    }

private:
    static bool say(const QString &text, QString *error)
    {
        *error = text;
        return false;
    }

    bool findKey(const QString &hash, StoredKey *key, QString *error)
    {
        if (const auto known = m_keys.constFind(hash); known != m_keys.cend()) {
            *key = *known;
            return true;
        }
        m_findKey.reset();
        m_findKey.bindAll({ m_projectId, hash });
        if (m_findKey.step())
            *key = StoredKey { m_findKey.int64(0), m_findKey.int64(1) };
        else if (!m_findKey.error().isEmpty())
            return say(m_findKey.error(), error);
        if (key->id)
            m_keys.insert(hash, *key);
        return true;
    }

    bool hasCurrentKey(qint64 issue, bool *has, QString *error)
    {
        m_hasCurrentKey.reset();
        m_hasCurrentKey.bindAll({ issue, currentGroupingStrategy() });
        *has = m_hasCurrentKey.step();
        return m_hasCurrentKey.error().isEmpty() || say(m_hasCurrentKey.error(), error);
    }

    bool insertKey(const IssueKey &key, qint64 issue, const QString &linkedBy, qint64 *id, QString *error)
    {
        const QByteArray explanation = QJsonDocument(toJson(key.explanation)).toJson(QJsonDocument::Compact);
        m_insertKey.reset();
        m_insertKey.bindAll({ m_projectId, key.fingerprint, issue, key.explanation.strategy,
            QString::fromUtf8(explanation), linkedBy });
        if (!m_insertKey.step())
            return say(m_insertKey.error(), error);
        *id = m_insertKey.int64(0);
        m_keys.insert(key.fingerprint, StoredKey { *id, issue });
        return true;
    }

    qint64 m_projectId;
    Statement m_current;
    Statement m_findKey;
    Statement m_hasCurrentKey;
    Statement m_insertKey;
    Statement m_extendRule;
    EventMover m_mover;
    QHash<QString, StoredKey> m_keys;
};

using Clock = std::chrono::steady_clock;

} // namespace

Regrouper::Regrouper(Database &db, int eventsPerTransaction)
    : m_db(db)
    , m_step(std::max(1, eventsPerTransaction))
{
}

RegroupReport Regrouper::run(qint64 projectId, const RegroupProgress &progress)
{
    RegroupReport report;
    sqlite3 *db = m_db.handle();
    Statement bounds(db, QStringLiteral("SELECT count(*), coalesce(max(id), 0) FROM events WHERE project_id = ?"));
    bounds.bind(1, projectId);
    if (!bounds.step()) {
        report.error = bounds.error();
        return report;
    }
    const qint64 total = bounds.int64(0), lastRow = bounds.int64(1);
    bounds.reset(); // an open read would pin a snapshot, and BEGIN IMMEDIATE on a stale one fails at once
    // Only what was stored when it started: later events are grouped under this strategy already.
    Statement read(db,
        QStringLiteral("SELECT id, raw, raw_size FROM events WHERE project_id = ? AND id > ? AND id <= ? "
                       "ORDER BY id LIMIT ?"));
    Step step(db, projectId);
    qint64 after = 0;
    for (;;) {
        // Decompressing and grouping take most of the time: outside the write lock.
        QList<Regrouped> events;
        qint64 rows = 0;
        read.reset();
        read.bindAll({ projectId, after, lastRow, m_step });
        while (read.step()) {
            ++rows;
            after = read.int64(0);
            const Result<Event> event
                = parseEventJson(decompressRaw(read.blob(1), read.int64(2)), EventDetail::Summary);
            if (event.ok())
                events.append(Regrouped { after, groupEvent(event.value()) });
            else
                ++report.unreadable;
        }
        if (!read.error().isEmpty()) {
            report.error = read.error();
            return report;
        }
        read.reset();
        if (rows == 0)
            break;
        report.events += rows;
        if (!execSql(db, "BEGIN IMMEDIATE", &report.error))
            return report;
        const auto locked = Clock::now();
        if (!step.apply(events, &report, &report.error) || !execSql(db, "COMMIT", &report.error)) {
            execSql(db, "ROLLBACK");
            return report;
        }
        const auto held = Clock::now() - locked;
        if (progress && !progress(std::min(report.events, total), total)) {
            report.cancelled = true;
            return report;
        }
        if (rows < m_step || after >= lastRow)
            break;
        // The writer gets the lock back for at least as long as this step held it.
        std::this_thread::sleep_for(
            std::clamp<Clock::duration>(2 * held, std::chrono::milliseconds(2), std::chrono::milliseconds(200)));
    }
    return report;
}

} // namespace faultline
