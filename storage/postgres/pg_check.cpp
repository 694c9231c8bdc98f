#include "storage/postgres/pg_check.h"

#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_partitions.h"

namespace faultline {

namespace {

void checkSchema(PgConnection &connection, PgCheckReport *report)
{
    const PgResult<int> version = postgresSchemaVersion(connection);
    if (!version) {
        report->problems.append(QStringLiteral("the schema version cannot be read: %1").arg(version.error().message));
        return;
    }
    const int latest = latestPostgresSchemaVersion();
    if (version.value() == 0) {
        report->problems.append(
            QStringLiteral("no Faultline schema here (start `faultline --headless --db URI` once)"));
        return;
    }
    if (version.value() > latest)
        report->problems.append(
            QStringLiteral("schema version %1 is newer than this Faultline knows (%2): use a newer Faultline")
                .arg(version.value())
                .arg(latest));
    const auto applied = connection.exec(QStringLiteral("SELECT version FROM schema_migrations ORDER BY version"));
    if (!applied) {
        report->problems.append(
            QStringLiteral("the applied migrations cannot be read: %1").arg(applied.error().message));
        return;
    }
    QList<int> done;
    for (int row = 0; row < applied->rowCount(); ++row)
        done.append(int(applied->int64(row, 0)));
    QStringList missing;
    for (const PgMigration &migration : postgresMigrations())
        if (!done.contains(migration.version))
            missing.append(QString::number(migration.version));
    report->facts.append(
        QStringLiteral("schema version %1, %2 migrations applied").arg(version.value()).arg(done.size()));
    if (!missing.isEmpty())
        report->problems.append(
            QStringLiteral("migrations not applied: %1 (a collector of this version applies them when it starts)")
                .arg(missing.join(QStringLiteral(", "))));
}

// This month's and the next month's partitions: a writer makes them ahead
// (pg_partitions.h), so an event at midnight of the 1st never waits for DDL.
void checkPartitions(PgConnection &connection, qint64 nowMs, PgCheckReport *report)
{
    const PartitionMonth thisMonth = partitionMonthOf(nowMs);
    QStringList present;
    for (const PartitionMonth &month : { thisMonth, partitionMonthOf(thisMonth.toMs) }) {
        for (const char *parent : { "events", "event_tags", "attachments" }) {
            const QString name = QStringLiteral("%1_%2").arg(QLatin1String(parent), month.suffix);
            const auto exists
                = connection.exec(QStringLiteral("SELECT to_regclass($1) IS NOT NULL"), { PgParam::text(name) });
            if (!exists)
                report->problems.append(
                    QStringLiteral("partition %1 cannot be looked up: %2").arg(name, exists.error().message));
            else if (!exists->boolean(0, 0))
                report->problems.append(
                    QStringLiteral("partition %1 is missing (a running collector makes it ahead)").arg(name));
        }
        present.append(month.suffix);
    }
    report->facts.append(QStringLiteral("partitions checked: %1").arg(present.join(QStringLiteral(", "))));
}

// Rows that point at nothing, or grouping that disagrees with itself.
void checkReferences(PgConnection &connection, PgCheckReport *report)
{
    const QList<QPair<QString, QString>> checks {
        { QStringLiteral("tags of events that are gone"),
            QStringLiteral("SELECT count(*) FROM event_tags t WHERE NOT EXISTS (SELECT 1 FROM events e "
                           "WHERE e.id = t.event_row AND e.received_ms = t.received_ms)") },
        { QStringLiteral("attachments of events that are gone"),
            QStringLiteral("SELECT count(*) FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM events e "
                           "WHERE e.id = a.event_row AND e.received_ms = a.received_ms)") },
        { QStringLiteral("events whose grouping key is gone"),
            QStringLiteral("SELECT count(*) FROM events e WHERE e.grouping_key_id IS NOT NULL AND NOT EXISTS "
                           "(SELECT 1 FROM grouping_keys k WHERE k.id = e.grouping_key_id)") },
        { QStringLiteral("events in another issue than their grouping key leads to"),
            QStringLiteral("SELECT count(*) FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id "
                           "WHERE k.issue_id <> e.issue_id") },
        { QStringLiteral("grouping keys of another project than their issue"),
            QStringLiteral("SELECT count(*) FROM grouping_keys k JOIN issues i ON i.id = k.issue_id "
                           "WHERE i.project_id <> k.project_id") },
        { QStringLiteral("events of another project than their issue"),
            QStringLiteral("SELECT count(*) FROM events e JOIN issues i ON i.id = e.issue_id "
                           "WHERE i.project_id <> e.project_id") },
    };
    for (const auto &[what, sql] : checks) {
        const auto rows = connection.exec(sql);
        if (!rows)
            report->problems.append(QStringLiteral("%1: cannot be checked: %2").arg(what, rows.error().message));
        else if (const qint64 n = rows->int64(0, 0); n > 0)
            report->problems.append(QStringLiteral("%1: %2").arg(what).arg(n));
    }
}

} // namespace

PgCheckReport checkPostgresDatabase(PgConnection &connection, qint64 nowMs)
{
    PgCheckReport report;
    checkSchema(connection, &report);
    if (report.facts.isEmpty()) // no schema to look into
        return report;
    checkPartitions(connection, nowMs, &report);
    checkReferences(connection, &report);
    return report;
}

} // namespace faultline
