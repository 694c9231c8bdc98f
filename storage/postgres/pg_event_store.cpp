#include "storage/postgres/pg_event_store.h"

#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_rows_statement.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace faultline {

std::unique_ptr<BatchStore> PgEventStore::open(const QString &uri, int stopFd, QString *error)
{
    PgResult<std::unique_ptr<PgConnection>> connection = PgConnection::openStoppable(uri, stopFd);
    if (!connection) {
        if (error)
            *error = connection.error().message;
        return nullptr;
    }
    // Several collectors starting at once migrate once (an advisory lock); the
    // later ones find the schema current. A newer schema is refused here.
    if (PgResult<int> migrated = migratePostgres(*connection.value()); !migrated) {
        if (error)
            *error = migrated.error().message;
        return nullptr;
    }
    spdlog::info("event writer connected to PostgreSQL at {} (server {})", connection.value()->logName().toStdString(),
        connection.value()->serverVersion());
    return std::unique_ptr<BatchStore>(new PgEventStore(std::move(connection).value(), stopFd));
}

PgEventStore::PgEventStore(std::unique_ptr<PgConnection> connection, int stopFd)
    : m_connection(std::move(connection))
    , m_writer(*m_connection)
    , m_stopFd(stopFd)
{
}

StorageState PgEventStore::stateOf(PgError::Kind kind)
{
    return kind == PgError::Kind::Connection ? StorageState::Unavailable : StorageState::Failing;
}

bool PgEventStore::failsWholeBatch(PgError::Kind kind)
{
    // A constraint or a query the server refused may be one event's doing; the rest is not.
    return kind != PgError::Kind::Constraint && kind != PgError::Kind::Query;
}

StoreResult PgEventStore::write(
    const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards, bool idle)
{
    (void)idle; // the search column is computed by the server: nothing to catch up between batches
    StoreResult result = writeOnce(events, discards);
    if (result.committed || result.state != StorageState::Unavailable)
        return result;
    // The connection broke since the last batch (a restart, a cut): one
    // reconnect now, before anyone is told "not stored".
    if (!m_connection->reconnect(m_stopFd))
        return result;
    spdlog::info("reconnected to PostgreSQL at {}; writing the batch again", m_connection->logName().toStdString());
    return writeOnce(events, discards);
}

StoreResult PgEventStore::writeOnce(const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards)
{
    StoreResult result;
    if (!events.isEmpty()) {
        PgResult<PgBatchResult> written = m_writer.write(events);
        if (!written) {
            result.error = written.error().message;
            result.state = stateOf(written.error().kind);
            result.wholeBatchFailed = failsWholeBatch(written.error().kind);
            return result;
        }
        result.outcomes = std::move(written->outcomes);
        result.summary = std::move(written->summary);
    }
    // In a transaction of their own after the events': a loss count must not
    // keep events from being acknowledged, so its failure only goes to the log.
    if (PgStatus counted = writeDiscards(discards); !counted) {
        if (events.isEmpty()) {
            result.error = counted.error().message;
            result.state = stateOf(counted.error().kind);
            result.wholeBatchFailed = failsWholeBatch(counted.error().kind);
            return result;
        }
        spdlog::error(
            "{} discarded-event count(s) not stored: {}", discards.size(), counted.error().message.toStdString());
    } else {
        for (const DiscardCount &discard : discards)
            if (!result.summary.touchedProjectIds.contains(discard.projectId))
                result.summary.touchedProjectIds.append(discard.projectId);
        std::sort(result.summary.touchedProjectIds.begin(), result.summary.touchedProjectIds.end());
    }
    result.committed = true;
    return result;
}

// One upsert for all of them, in key order (the order every collector takes
// these rows in); counts for a project deleted meanwhile are left out.
PgStatus PgEventStore::writeDiscards(const QList<DiscardCount> &discards)
{
    if (discards.isEmpty())
        return PgDone {};
    PgRowsStatement upsert(QStringLiteral("INSERT INTO discarded(project_id, reason, category, hour, quantity) "
                                          "SELECT v.p, v.r, v.c, v.h, v.q FROM (VALUES"),
        QStringLiteral(") v(p, r, c, h, q) WHERE EXISTS (SELECT 1 FROM projects WHERE id = v.p) "
                       "ORDER BY v.p, v.r, v.c, v.h "
                       "ON CONFLICT (project_id, reason, category, hour) "
                       "DO UPDATE SET quantity = discarded.quantity + EXCLUDED.quantity"),
        5,
        { QStringLiteral("::bigint"), QStringLiteral("::text"), QStringLiteral("::text"), QStringLiteral("::bigint"),
            QStringLiteral("::bigint") });
    for (const DiscardCount &discard : discards)
        upsert.addRow({ PgParam::integer(discard.projectId), PgParam::text(discard.reason),
            PgParam::text(discard.category), PgParam::integer(discard.hour), PgParam::integer(discard.quantity) });
    if (PgStatus begun = m_connection->begin(); !begun)
        return begun;
    auto done = upsert.exec(*m_connection);
    PgStatus committed = done ? m_connection->commit() : PgStatus(done.error());
    if (!committed)
        m_connection->rollback();
    return committed;
}

bool PgEventStore::recover(QString *error)
{
    PgStatus reconnected = m_connection->reconnect(m_stopFd);
    if (!reconnected && error)
        *error = reconnected.error().message;
    return bool(reconnected);
}

} // namespace faultline
