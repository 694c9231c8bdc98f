#include "storage/postgres/pg_retention.h"

#include "storage/postgres/pg_rows_statement.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>

namespace faultline {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr qint64 kHourMs = 3600 * 1000;
constexpr int kEventKeysPerBatch = 50'000;
constexpr int kDropAttempts = 3; // a deadlock with a writer (see dropMonth) is tried again
const char *const kPartitioned[] = { "events", "event_tags", "attachments" };

QString partitionName(const char *parent, const PartitionMonth &month)
{
    // Only from partitionMonthOf(): "p" and digits, safe to name in SQL.
    return QStringLiteral("\"%1_%2\"").arg(QLatin1String(parent), month.suffix);
}

PgParam textArray(const QStringList &values)
{
    QStringList quoted;
    for (const QString &value : values) // sha256 hex: nothing to escape
        quoted.append(u'"' + value + u'"');
    return PgParam::text(u'{' + quoted.join(u',') + u'}');
}

qint64 ageCutoffMs(const ProjectSettings &settings, qint64 nowMs)
{
    return settings.maxAgeDays > 0 ? nowMs - qint64(settings.maxAgeDays) * kDayMs : 0;
}

QString monthName(const PartitionMonth &month)
{
    return QDateTime::fromMSecsSinceEpoch(month.fromMs, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM"));
}

} // namespace

qint64 PgRetentionReport::eventsDeleted() const
{
    qint64 sum = overSize.events;
    for (const PgDroppedMonth &month : dropped)
        sum += month.events;
    return sum;
}

qint64 PgRetentionReport::issuesDeleted() const
{
    qint64 sum = overSize.issuesDeleted;
    for (const PgDroppedMonth &month : dropped)
        sum += month.issuesDeleted;
    return sum;
}

PgRetention::PgRetention(PgConnection &connection)
    : m_connection(connection)
{
}

PgResult<QList<ProjectSettings>> PgRetention::projectSettings()
{
    auto rows = m_connection.exec(QStringLiteral("SELECT p.id, s.max_age_days, s.max_events, s.max_stored_mib FROM "
                                                 "projects p LEFT JOIN project_settings s ON s.project_id = p.id "
                                                 "ORDER BY p.id"));
    if (!rows)
        return rows.error();
    QList<ProjectSettings> settings;
    for (int row = 0; row < rows->rowCount(); ++row) {
        ProjectSettings project = ProjectSettings::defaults(rows->int64(row, 0));
        if (!rows->isNull(row, 1)) {
            project.maxAgeDays = int(rows->int64(row, 1));
            project.maxEvents = rows->int64(row, 2);
        }
        if (!rows->isNull(row, 3))
            project.maxStoredMiB = rows->int64(row, 3);
        settings.append(project);
    }
    return settings;
}

PgResult<QList<PartitionMonth>> PgRetention::months()
{
    auto rows = m_connection.exec(QStringLiteral("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = "
                                                 "i.inhrelid WHERE i.inhparent = 'events'::regclass"));
    if (!rows)
        return rows.error();
    static const QRegularExpression name(QStringLiteral("^events_p(\\d{4})_(\\d{2})$"));
    QList<PartitionMonth> months;
    for (int row = 0; row < rows->rowCount(); ++row) {
        const QRegularExpressionMatch match = name.match(rows->text(row, 0));
        if (!match.hasMatch())
            continue; // not one of ours: never dropped
        const QDate first(match.captured(1).toInt(), match.captured(2).toInt(), 1);
        months.append(partitionMonthOf(QDateTime(first, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch()));
    }
    std::sort(months.begin(), months.end(),
        [](const PartitionMonth &a, const PartitionMonth &b) { return a.fromMs < b.fromMs; });
    return months;
}

PgResult<QList<PgRetentionMonth>> PgRetention::plan(const QList<ProjectSettings> &settings, qint64 nowMs)
{
    auto found = months();
    if (!found)
        return found.error();
    QList<PgRetentionMonth> plan;
    bool expiring = true;
    for (const PartitionMonth &month : found.value()) {
        PgRetentionMonth entry { month, 0, false, {} };
        auto events = m_connection.exec(QStringLiteral("SELECT count(*) FROM %1").arg(partitionName("events", month)));
        if (!events)
            return events.error();
        entry.events = events->int64(0, 0);
        if (!expiring)
            entry.keptBecause = QStringLiteral("an older month is kept");
        else if (month.toMs > nowMs)
            entry.keptBecause = QStringLiteral("%1 is not over yet").arg(monthName(month));
        for (const ProjectSettings &project : settings) {
            if (!entry.keptBecause.isEmpty())
                break;
            if (project.maxAgeDays > 0 && month.toMs <= ageCutoffMs(project, nowMs))
                continue; // too old for this project, whatever it holds
            auto holds = m_connection.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM %1 WHERE project_id = $1)")
                                               .arg(partitionName("events", month)),
                { PgParam::integer(project.projectId) });
            if (!holds)
                return holds.error();
            if (!holds->boolean(0, 0))
                continue;
            if (project.maxEvents > 0) {
                auto newer = m_connection.exec(
                    QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1 AND received_ms >= $2"),
                    { PgParam::integer(project.projectId), PgParam::integer(month.toMs) });
                if (!newer)
                    return newer.error();
                if (newer->int64(0, 0) >= project.maxEvents)
                    continue; // its newer events alone fill its count limit
            }
            entry.keptBecause = project.maxAgeDays > 0
                ? QStringLiteral("project %1 keeps events for %2 days").arg(project.projectId).arg(project.maxAgeDays)
                : QStringLiteral("project %1 keeps events forever").arg(project.projectId);
        }
        entry.expired = expiring && entry.keptBecause.isEmpty();
        expiring = entry.expired;
        plan.append(entry);
    }
    return plan;
}

PgResult<PgRetentionReport> PgRetention::prune(
    const QList<ProjectSettings> &settings, qint64 nowMs, const PgRetentionProgress &progress)
{
    // A run that stopped between detaching a month and removing it left its tables.
    if (PgStatus leftovers = dropDetachedMonths(); !leftovers)
        return leftovers.error();
    auto planned = plan(settings, nowMs);
    if (!planned)
        return planned.error();
    PgRetentionReport report;
    bool cancelled = false;
    for (const PgRetentionMonth &month : planned.value()) {
        if (!month.expired) {
            report.keptBecause = month.keptBecause;
            break;
        }
        auto dropped = dropMonth(month.month);
        if (!dropped)
            return dropped.error();
        report.dropped.append(dropped.value());
        cancelled = progress && !progress(dropped.value());
        if (cancelled)
            break;
    }
    PgSizeRetention bySize(m_connection);
    for (const ProjectSettings &project : cancelled ? QList<ProjectSettings>() : settings) {
        auto pruned = bySize.prune(project);
        if (!pruned)
            return pruned.error();
        report.overSize += pruned.value();
    }
    QElapsedTimer keysTimer;
    keysTimer.start();
    auto keys = deleteOrphanEventKeys(nowMs);
    if (!keys)
        return keys.error();
    report.eventKeysDeleted = keys.value();
    report.eventKeysMs = keysTimer.elapsed();
    if (PgStatus counts = pruneDroppedEventCounts(settings, nowMs); !counts)
        return counts.error();
    return report;
}

PgResult<PgDroppedMonth> PgRetention::dropMonth(const PartitionMonth &month)
{
    // Read before the drop, outside its transaction: a month that is over
    // gets no more rows (received_ms is the collector's clock).
    auto gone = m_connection.exec(
        QStringLiteral("SELECT issue_id, count(*) FROM %1 GROUP BY issue_id").arg(partitionName("events", month)));
    auto bodies
        = m_connection.exec(QStringLiteral("SELECT DISTINCT sha256 FROM %1").arg(partitionName("attachments", month)));
    if (!gone || !bodies)
        return !gone ? gone.error() : bodies.error();
    PgDroppedMonth dropped { month, 0, 0, 0, 0 };
    QList<qint64> issues;
    QList<qint64> counts;
    for (int row = 0; row < gone->rowCount(); ++row) {
        issues.append(gone->int64(row, 0));
        counts.append(gone->int64(row, 1));
        dropped.events += counts.constLast();
    }
    QStringList tables;
    for (const char *parent : kPartitioned)
        tables.append(partitionName(parent, month));

    // The issues table first, then its rows, then the parent tables: the order
    // a batch takes them in (it locks issues as it begins, before inserting
    // events), so this waits for the batches in flight instead of deadlocking
    // with one that share-locked an issue, inserted events and then wants the
    // row this updates. A deadlock with anything else is broken by PostgreSQL
    // and both sides try again.
    QElapsedTimer timer;
    PgStatus done = PgError {};
    for (int attempt = 1; attempt <= kDropAttempts; ++attempt) {
        timer.start();
        done = m_connection.begin();
        auto run = [&](const QString &sql, const PgParams &params = {}) -> qint64 {
            if (!done)
                return 0;
            auto result = m_connection.exec(sql, params);
            done = result ? PgStatus(PgDone {}) : PgStatus(result.error());
            return result ? result->affectedRows() : 0;
        };
        run(QStringLiteral("SET LOCAL lock_timeout = '5s'")); // a busy collector is not kept waiting longer
        run(QStringLiteral("LOCK TABLE issues IN SHARE ROW EXCLUSIVE MODE"));
        run(QStringLiteral("UPDATE issues SET count = greatest(0, issues.count - g.n), "
                           "first_seen_ms = coalesce((SELECT min(e.received_ms) FROM events e WHERE e.issue_id = "
                           "issues.id AND e.received_ms >= $3), issues.first_seen_ms), "
                           "last_seen_ms = coalesce((SELECT max(e.received_ms) FROM events e WHERE e.issue_id = "
                           "issues.id AND e.received_ms >= $3), issues.last_seen_ms) "
                           "FROM unnest($1::bigint[], $2::bigint[]) AS g(id, n) WHERE issues.id = g.id"),
            { pgIntegerArray(issues), pgIntegerArray(counts), PgParam::integer(month.toMs) });
        for (qsizetype i = 0; i < tables.size(); ++i)
            run(QStringLiteral("ALTER TABLE %1 DETACH PARTITION %2").arg(QLatin1String(kPartitioned[i]), tables[i]));
        // After the detach: deleting an issue cascades to its events, row by row.
        dropped.issuesDeleted = run(QStringLiteral("DELETE FROM issues WHERE id = ANY($1::bigint[]) AND NOT EXISTS "
                                                   "(SELECT 1 FROM events e WHERE e.issue_id = issues.id)"),
            { pgIntegerArray(issues) });
        if (done)
            done = m_connection.commit();
        if (done)
            break;
        m_connection.rollback();
        if (!done.error().isRetryable())
            return done.error();
    }
    if (!done)
        return done.error();
    dropped.detachMs = timer.elapsed();
    // The files go now, outside the transaction writers waited for: removing
    // a gigabyte takes the file system a while, and nothing needs the parents for it.
    timer.start();
    if (PgStatus removed = dropDetachedMonths(); !removed)
        return removed.error();
    dropped.removeMs = timer.elapsed();

    QStringList hashes;
    for (int row = 0; row < bodies->rowCount(); ++row)
        hashes.append(bodies->text(row, 0));
    if (!hashes.isEmpty()) {
        auto deleted = m_connection.exec(QStringLiteral("DELETE FROM attachment_blobs b WHERE sha256 = ANY($1::text[]) "
                                                        "AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = "
                                                        "b.sha256)"),
            { textArray(hashes) });
        if (!deleted)
            return deleted.error();
    }
    return dropped;
}

PgStatus PgRetention::dropDetachedMonths()
{
    auto rows = m_connection.exec(QStringLiteral(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND NOT relispartition AND relnamespace = "
        "current_schema()::regnamespace AND relname ~ '^(events|event_tags|attachments)_p[0-9]{4}_[0-9]{2}$'"));
    if (!rows)
        return rows.error();
    QStringList tables;
    for (int row = 0; row < rows->rowCount(); ++row)
        tables.append(u'"' + rows->text(row, 0) + u'"'); // matched the pattern above: safe to name
    if (tables.isEmpty())
        return PgDone {};
    auto dropped = m_connection.exec(QStringLiteral("DROP TABLE ") + tables.join(QStringLiteral(", ")));
    return dropped ? PgStatus(PgDone {}) : PgStatus(dropped.error());
}

PgResult<qint64> PgRetention::deleteOrphanEventKeys(qint64 nowMs)
{
    auto found = months();
    if (!found)
        return found.error();
    // Keys older than every month still there (and than the current one,
    // which a writer may be about to make) belong to dropped months.
    qint64 cutoff = partitionMonthOf(nowMs).fromMs;
    if (!found->isEmpty())
        cutoff = std::min(cutoff, found->constFirst().fromMs);
    qint64 deleted = 0;
    for (;;) {
        auto batch = m_connection.exec(QStringLiteral("DELETE FROM event_ids WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
                                                      "event_ids WHERE received_ms < $1 LIMIT $2))"),
            { PgParam::integer(cutoff), PgParam::integer(kEventKeysPerBatch) });
        if (!batch)
            return batch.error();
        deleted += batch->affectedRows();
        if (batch->affectedRows() < kEventKeysPerBatch)
            return deleted;
    }
}

PgStatus PgRetention::pruneDroppedEventCounts(const QList<ProjectSettings> &settings, qint64 nowMs)
{
    // As DroppedEventsStore::pruneOlderThan: what never became an event ages
    // out with the events, by the project's age limit (an hour is the unit).
    for (const ProjectSettings &project : settings) {
        if (project.maxAgeDays <= 0)
            continue;
        const qint64 beforeMs = ageCutoffMs(project, nowMs);
        const std::pair<const char *, qint64> steps[] = {
            { "DELETE FROM refusal_counts WHERE project_id = $1 AND hour < $2", beforeMs / kHourMs },
            { "DELETE FROM discarded WHERE project_id = $1 AND hour < $2", beforeMs / kHourMs },
            { "DELETE FROM refusal_examples WHERE project_id = $1 AND received_ms < $2", beforeMs },
        };
        for (const auto &[sql, cutoff] : steps)
            if (auto done = m_connection.exec(
                    QString::fromLatin1(sql), { PgParam::integer(project.projectId), PgParam::integer(cutoff) });
                !done)
                return done.error();
    }
    return PgDone {};
}

PgResult<PgRetentionReport> prunePostgresPartitions(PgConnection &connection, qint64 nowMs)
{
    PgRetention retention(connection);
    auto settings = retention.projectSettings();
    if (!settings)
        return settings.error();
    return retention.prune(settings.value(), nowMs);
}

} // namespace faultline
