#include "storage/postgres/pg_partitions.h"

#include <QDateTime>
#include <QTimeZone>

namespace faultline {

namespace {

// pg_advisory_xact_lock's key for "making partitions": 'fl-parts' in ASCII.
constexpr qint64 kPartitionLockKey = 0x666c2d7061727473;

const char *const kPartitionedTables[] = { "events", "event_tags", "attachments" };

} // namespace

PartitionMonth partitionMonthOf(qint64 epochMs)
{
    const QDate day = QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc()).date();
    const QDate first(day.year(), day.month(), 1);
    PartitionMonth month;
    month.fromMs = QDateTime(first, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    month.toMs = QDateTime(first.addMonths(1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    month.suffix = QStringLiteral("p%1_%2")
                       .arg(first.year(), 4, 10, QLatin1Char('0'))
                       .arg(first.month(), 2, 10, QLatin1Char('0'));
    return month;
}

PgStatus PgPartitions::ensureMonth(PgConnection &connection, qint64 epochMs)
{
    const PartitionMonth month = partitionMonthOf(epochMs);
    if (m_known.contains(month.fromMs))
        return PgDone {};
    const PgStatus made = connection.inLockedTransaction(kPartitionLockKey, [&]() -> PgStatus {
        for (const char *table : kPartitionedTables) {
            // DDL takes no parameters: the statement is built from this build's
            // table names and two integers, never from anything received.
            const QString sql
                = QStringLiteral("CREATE TABLE IF NOT EXISTS %1_%2 PARTITION OF %1 FOR VALUES FROM (%3) TO (%4)")
                      .arg(QLatin1String(table), month.suffix)
                      .arg(month.fromMs)
                      .arg(month.toMs);
            if (auto created = connection.exec(sql); !created)
                return created.error();
        }
        return PgDone {};
    });
    if (!made)
        return made;
    m_known.insert(month.fromMs);
    return PgDone {};
}

} // namespace faultline
