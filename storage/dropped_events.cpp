#include "storage/dropped_events.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace faultline {

namespace {

bool rolledBack(sqlite3 *db, QString *error)
{
    if (error)
        *error = lastError(db);
    execSql(db, "ROLLBACK");
    return false;
}

} // namespace

bool DroppedEventsStore::addRefusals(const QList<DropRecord> &records, qint64 nowMs, QString *error)
{
    sqlite3 *db = m_db.handle();
    if (!execSql(db, "BEGIN IMMEDIATE", error))
        return false;
    // An id no project has (a guess in a URL) counts under 0, so the rows stay
    // as few as the real projects times the reasons.
    const QString project = QStringLiteral("(SELECT COALESCE((SELECT id FROM projects WHERE id = ?1), 0))");
    Statement count(db,
        QStringLiteral("INSERT INTO refusal_counts(project_id, reason, hour, count) VALUES (%1, ?2, ?3, ?4) "
                       "ON CONFLICT(project_id, reason, hour) DO UPDATE SET count = count + excluded.count")
            .arg(project));
    Statement example(db,
        QStringLiteral(
            "INSERT INTO refusal_examples(project_id, reason, received_ms, status, size, peer, request, head, "
            "answer) VALUES (%1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(project_id, reason) DO UPDATE "
            "SET received_ms = ?3, status = ?4, size = ?5, peer = ?6, request = ?7, head = ?8, answer = ?9 "
            "WHERE ?3 >= received_ms")
            .arg(project));
    const qint64 hour = nowMs / kHourMs;
    for (const DropRecord &record : records) {
        count.reset();
        count.bindAll({ record.projectId, record.reason, hour, record.quantity });
        if (!count.exec())
            return rolledBack(db, error);
        if (!record.example)
            continue;
        const DropExample &e = *record.example;
        example.reset();
        example.bindAll({ record.projectId, record.reason, e.receivedMs, e.status, e.size, e.peer, e.request,
            e.head.left(kExampleBytes), e.answer.left(kAnswerChars) });
        if (!example.exec())
            return rolledBack(db, error);
    }
    return execSql(db, "COMMIT", error) || rolledBack(db, nullptr);
}

QList<DropSummary> summarizeDrops(
    const QList<DropCountRow> &counts, const QList<DropExampleRow> &examples, qint64 nowMs)
{
    const qint64 hour = nowMs / DroppedEventsStore::kHourMs;
    QList<DropSummary> result;
    using Key = std::tuple<qint64, QString, QString>;
    std::map<Key, qsizetype> index;
    for (const DropCountRow &row : counts) {
        const Key key { row.projectId, row.reason, row.category };
        auto found = index.find(key);
        if (found == index.end()) {
            DropSummary summary;
            std::tie(summary.projectId, summary.reason, summary.category) = key;
            summary.hourly = QList<qint64>(24, 0);
            found = index.emplace(key, result.size()).first;
            result.append(summary);
        }
        DropSummary &summary = result[found->second];
        const qint64 age = std::max<qint64>(0, hour - row.hour); // 0 = this hour; a clock set back counts as now
        const qint64 n = row.count;
        summary.kept += n;
        summary.lastHour += age == 0 ? n : 0;
        summary.lastDay += age < 24 ? n : 0;
        summary.lastWeek += age < 24 * 7 ? n : 0;
        if (age < 24)
            summary.hourly[23 - age] += n;
    }
    for (const DropExampleRow &row : examples) {
        const auto found = index.find(Key { row.projectId, row.reason, QString() });
        if (found != index.end()) // else its counts were pruned
            result[found->second].example = row.example;
    }
    std::stable_sort(result.begin(), result.end(), [](const DropSummary &a, const DropSummary &b) {
        return std::tie(a.lastDay, a.kept) > std::tie(b.lastDay, b.kept);
    });
    return result;
}

QList<DropSummary> DroppedEventsStore::summaries(qint64 nowMs, QString *error) const
{
    QList<DropCountRow> counts;
    Statement selectCounts(m_db.handle(),
        QStringLiteral("SELECT project_id, reason, '', hour, count FROM refusal_counts "
                       "UNION ALL SELECT project_id, 'client:' || reason, category, hour, quantity FROM discarded "
                       "ORDER BY 1, 2, 3"));
    while (selectCounts.step())
        counts.append({ selectCounts.int64(0), selectCounts.text(1), selectCounts.text(2), selectCounts.int64(3),
            selectCounts.int64(4) });
    if (!selectCounts.error().isEmpty() && error)
        *error = selectCounts.error();
    QList<DropExampleRow> examples;
    Statement selectExamples(m_db.handle(),
        QStringLiteral("SELECT project_id, reason, received_ms, status, size, peer, request, head, answer "
                       "FROM refusal_examples"));
    while (selectExamples.step()) {
        DropExample example;
        example.receivedMs = selectExamples.int64(2);
        example.status = int(selectExamples.int64(3));
        example.size = selectExamples.int64(4);
        example.peer = selectExamples.text(5);
        example.request = selectExamples.text(6);
        example.head = selectExamples.blob(7);
        example.answer = selectExamples.text(8);
        examples.append({ selectExamples.int64(0), selectExamples.text(1), example });
    }
    return summarizeDrops(counts, examples, nowMs);
}

bool DroppedEventsStore::pruneOlderThan(qint64 projectId, qint64 beforeMs, QString *error)
{
    // A count whose hour began before the cutoff goes whole: an hour is the unit.
    const qint64 beforeHour = beforeMs / kHourMs;
    const std::pair<const char *, qint64> steps[] = {
        { "DELETE FROM refusal_counts WHERE project_id = ? AND hour < ?", beforeHour },
        { "DELETE FROM discarded WHERE project_id = ? AND hour < ?", beforeHour },
        { "DELETE FROM refusal_examples WHERE project_id = ? AND received_ms < ?", beforeMs },
    };
    for (const auto &[sql, cutoff] : steps) {
        Statement prune(m_db.handle(), QString::fromLatin1(sql));
        prune.bindAll({ projectId, cutoff });
        if (!prune.exec()) {
            if (error)
                *error = prune.error();
            return false;
        }
    }
    return true;
}

} // namespace faultline
