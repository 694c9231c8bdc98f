#include "storage/postgres/pg_partitions.h"

#include <QDateTime>
#include <QTimeZone>

namespace faultline {

namespace {

// pg_advisory_xact_lock's key for "making partitions": 'fl-parts' in ASCII.
constexpr qint64 kPartitionLockKey = 0x666c2d7061727473;
constexpr int kAttempts = 3;

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
    // Made by another writer already (the usual case at start): no lock taken.
    auto present = connection.exec(QStringLiteral("SELECT to_regclass('events_' || $1) IS NOT NULL AND "
                                                  "to_regclass('event_tags_' || $1) IS NOT NULL AND "
                                                  "to_regclass('attachments_' || $1) IS NOT NULL"),
        { PgParam::text(month.suffix) });
    if (!present)
        return present.error();
    if (present->boolean(0, 0)) {
        m_known.insert(month.fromMs);
        return PgDone {};
    }
    // A partition locks its parent, events, and then issues (its foreign key);
    // a batch locks issues as it begins and inserts into events later.
    // Locking issues first waits for the batches in flight instead of
    // deadlocking with them; a deadlock with anything else is tried again.
    auto make = [&]() -> PgStatus {
        auto issuesLocked = connection.exec(QStringLiteral("LOCK TABLE issues IN SHARE ROW EXCLUSIVE MODE"));
        if (!issuesLocked)
            return issuesLocked.error();
        auto created = connection.exec(QStringLiteral("SELECT make_month_partitions($1, $2, $3)"),
            { PgParam::text(month.suffix), PgParam::integer(month.fromMs), PgParam::integer(month.toMs) });
        return created ? PgStatus(PgDone {}) : PgStatus(created.error());
    };
    PgStatus made = connection.inLockedTransaction(kPartitionLockKey, make);
    for (int attempt = 2; !made && made.error().isRetryable() && attempt <= kAttempts; ++attempt)
        made = connection.inLockedTransaction(kPartitionLockKey, make);
    if (!made)
        return made;
    m_known.insert(month.fromMs);
    return PgDone {};
}

PgStatus PgPartitions::ensureMonthsAhead(PgConnection &connection, qint64 nowMs)
{
    const PgStatus current = ensureMonth(connection, nowMs);
    return current ? ensureMonth(connection, partitionMonthOf(nowMs).toMs) : current;
}

} // namespace faultline
