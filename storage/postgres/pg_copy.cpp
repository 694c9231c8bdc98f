#include "storage/postgres/pg_copy.h"

#include "storage/database.h"
#include "storage/postgres/pg_copy_tables.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_partitions.h"
#include "storage/statement.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

namespace {

// pg_try_advisory_lock's key for "a db copy is writing here": 'fl-copy!' in ASCII.
constexpr qint64 kCopyLockKey = 0x666c2d636f707921;
constexpr qint64 kDayMs = 24LL * 3600 * 1000;
const QString kMarkerKey = QStringLiteral("db_copy");
const QString kBlobsPhase = QStringLiteral("blobs");
const QString kEventsPhase = QStringLiteral("events");
const QString kDonePhase = QStringLiteral("done");

// Tables whose id is an identity column (pg_schema.cpp), set past the copied ids at the end.
const char *const kIdentityTables[]
    = { "projects", "issues", "grouping_keys", "attachments", "alert_rules", "alert_deliveries", "grouping_rules" };

PgError refusal(const QString &message) { return PgError { PgError::Kind::Schema, {}, message }; }

// Where a copy stands, as the marker row says.
struct CopyMarker {
    QString source; // the source's fingerprint
    QString path; // where the source was, for messages
    QString phase;
    QString after; // the last key copied in the phase: a body's sha256, an event's id
};

QString markerJson(const CopyMarker &marker)
{
    const QJsonObject object { { QStringLiteral("source"), marker.source }, { QStringLiteral("path"), marker.path },
        { QStringLiteral("phase"), marker.phase }, { QStringLiteral("after"), marker.after } };
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// The projects' ids and public keys: random per database, and what DSNs name,
// so two databases never share them by accident.
QString sourceFingerprint(sqlite3 *source)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    Statement projects(source, QStringLiteral("SELECT id, public_key FROM projects ORDER BY id"));
    while (projects.step())
        hash.addData(QStringLiteral("%1\t%2\n").arg(projects.int64(0)).arg(projects.text(1)).toUtf8());
    return QString::fromLatin1(hash.result().toHex().left(32));
}

class CopyRun {
public:
    CopyRun(
        Database &source, PgConnection &target, const PgCopyOptions &options, const PgCopyProgressFunction &progress)
        : m_source(source)
        , m_db(source.handle())
        , m_target(target)
        , m_options(options)
        , m_progress(progress)
    {
    }

    PgResult<PgCopyReport> run();

private:
    PgStatus start();
    PgStatus copyCatalog();
    PgStatus copyBlobs();
    PgStatus copyEvents();
    PgStatus finish();
    PgStatus verify();
    PgResult<CopyMarker> readMarker();
    PgResult<TableColumns> columnsOf(const CopiedTable &table); // with the options' way of moving rows
    PgStatus writeMarker(); // inside the chunk's transaction
    // The largest key of the next chunk after `after`; empty when none is left.
    QString chunkEnd(const QString &keySql, const QString &after, int size);
    PgStatus inTransaction(const std::function<PgStatus()> &work);
    bool chunkDone(); // counts a committed chunk; true when the run should stop here
    void report(const QString &phase, qint64 done, qint64 total) const;

    Database &m_source;
    sqlite3 *m_db;
    PgConnection &m_target;
    PgCopyOptions m_options;
    PgCopyProgressFunction m_progress;
    CopyMarker m_marker;
    PgCopyReport m_report;
    int m_chunks = 0;
};

PgResult<PgCopyReport> CopyRun::run()
{
    for (auto step : { &CopyRun::start, &CopyRun::copyCatalog, &CopyRun::copyBlobs, &CopyRun::copyEvents,
             &CopyRun::finish, &CopyRun::verify }) {
        if (PgStatus done = (this->*step)(); !done)
            return done.error();
        if (m_report.stopped)
            break;
    }
    return m_report;
}

PgStatus CopyRun::start()
{
    const int version = m_source.schemaVersion();
    if (version != latestPostgresSchemaVersion())
        return refusal(QStringLiteral("%1 is at schema version %2, the PostgreSQL schema of this Faultline at %3: %4")
                           .arg(m_source.path())
                           .arg(version)
                           .arg(latestPostgresSchemaVersion())
                           .arg(version < latestPostgresSchemaVersion()
                                   ? QStringLiteral("open it once with this Faultline to migrate it")
                                   : QStringLiteral("use the Faultline that made it")));
    if (PgStatus known = checkNothingLeftBehind(m_db); !known)
        return known;
    if (auto migrated = migratePostgres(m_target); !migrated)
        return migrated.error();
    // Held for the session: a second copy into the same database stops here.
    auto locked = m_target.exec(QStringLiteral("SELECT pg_try_advisory_lock($1)"), { PgParam::integer(kCopyLockKey) });
    if (!locked)
        return locked.error();
    if (!locked->boolean(0, 0))
        return refusal(QStringLiteral("another `faultline db copy` is writing into %1").arg(m_target.logName()));

    auto marker = readMarker();
    if (!marker)
        return marker.error();
    const QString fingerprint = sourceFingerprint(m_db);
    if (!marker->phase.isEmpty()) {
        if (marker->source != fingerprint)
            return refusal(QStringLiteral("%1 holds a copy of another database (%2), not of %3")
                               .arg(m_target.logName(), marker->path, m_source.path()));
        m_marker = marker.value();
        m_report.resumed = true;
        return PgDone {};
    }
    // The default project any Faultline makes in a fresh database (PgBackend)
    // does not count while nothing arrived for it: the copy replaces it.
    auto holdsData = m_target.exec(
        QStringLiteral("SELECT EXISTS (SELECT 1 FROM projects WHERE name <> 'default') OR EXISTS (SELECT 1 FROM "
                       "issues) OR EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM project_settings)"));
    if (!holdsData)
        return holdsData.error();
    if (holdsData->boolean(0, 0))
        return refusal(QStringLiteral("%1 already holds projects or events: db copy fills an empty database only "
                                      "(or resumes its own copy)")
                           .arg(m_target.logName()));
    m_marker = CopyMarker { fingerprint, m_source.path(), {}, {} };
    return PgDone {};
}

PgResult<CopyMarker> CopyRun::readMarker()
{
    auto rows
        = m_target.exec(QStringLiteral("SELECT value FROM app_state WHERE key = $1"), { PgParam::text(kMarkerKey) });
    if (!rows)
        return rows.error();
    if (rows->rowCount() == 0)
        return CopyMarker {};
    const QJsonObject object = QJsonDocument::fromJson(rows->bytes(0, 0)).object();
    return CopyMarker { object.value(QStringLiteral("source")).toString(),
        object.value(QStringLiteral("path")).toString(), object.value(QStringLiteral("phase")).toString(),
        object.value(QStringLiteral("after")).toString() };
}

PgStatus CopyRun::writeMarker()
{
    auto written = m_target.exec(QStringLiteral("INSERT INTO app_state(key, value) VALUES ($1, $2) "
                                                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"),
        { PgParam::text(kMarkerKey), PgParam::text(markerJson(m_marker)) });
    return written ? PgStatus(PgDone {}) : PgStatus(written.error());
}

PgStatus CopyRun::inTransaction(const std::function<PgStatus()> &work)
{
    PgStatus done = m_target.begin();
    if (done)
        done = work();
    if (done)
        done = writeMarker();
    if (done)
        done = m_target.commit();
    if (!done)
        m_target.rollback();
    return done;
}

bool CopyRun::chunkDone()
{
    ++m_chunks;
    m_report.stopped = m_options.stopAfterChunks > 0 && m_chunks >= m_options.stopAfterChunks;
    return m_report.stopped;
}

void CopyRun::report(const QString &phase, qint64 done, qint64 total) const
{
    if (m_progress)
        m_progress(PgCopyProgress { phase, done, total });
}

QString CopyRun::chunkEnd(const QString &keySql, const QString &after, int size)
{
    Statement end(m_db, keySql);
    end.bindAll({ after, size });
    return end.step() && !end.isNull(0) ? end.text(0) : QString();
}

PgResult<TableColumns> CopyRun::columnsOf(const CopiedTable &table)
{
    PgResult<TableColumns> columns = tableColumns(m_db, m_target, table);
    if (columns)
        columns->viaInsert = m_options.viaInsert;
    return columns;
}

PgStatus CopyRun::copyCatalog()
{
    if (!m_marker.phase.isEmpty())
        return PgDone {}; // copied in the run that wrote the marker
    const QList<CopiedTable> &tables = catalogTables();
    m_marker.phase = kBlobsPhase;
    return inTransaction([&]() -> PgStatus {
        auto replaced = m_target.exec(
            QStringLiteral("DELETE FROM projects WHERE name = 'default' AND NOT EXISTS (SELECT 1 FROM issues)"));
        if (!replaced)
            return replaced.error();
        for (qsizetype i = 0; i < tables.size(); ++i) {
            report(QStringLiteral("catalog"), i, tables.size());
            auto columns = columnsOf(tables[i]);
            if (!columns)
                return columns.error();
            if (auto moved = transferRows(m_db, m_target, columns.value()); !moved)
                return moved.error();
        }
        report(QStringLiteral("catalog"), tables.size(), tables.size());
        return PgDone {};
    });
}

PgStatus CopyRun::copyBlobs()
{
    if (m_marker.phase != kBlobsPhase)
        return PgDone {};
    auto columns = columnsOf(blobsTable());
    auto total = sourceCount(m_db, blobsTable().name);
    auto done = targetCount(m_target, blobsTable().name);
    if (!columns || !total || !done)
        return !columns ? columns.error() : !total ? total.error() : done.error();
    qint64 copied = done.value();
    report(QStringLiteral("attachment bodies"), copied, total.value());
    for (;;) {
        const QString end = chunkEnd(QStringLiteral("SELECT max(sha256) FROM (SELECT sha256 FROM attachment_blobs "
                                                    "WHERE sha256 > ? ORDER BY sha256 LIMIT ?)"),
            m_marker.after, m_options.blobsPerChunk);
        if (end.isEmpty())
            break;
        const QString after = m_marker.after;
        m_marker.after = end;
        qint64 moved = 0;
        const PgStatus chunk = inTransaction([&]() -> PgStatus {
            auto rows = transferRows(
                m_db, m_target, columns.value(), QStringLiteral("t.sha256 > ? AND t.sha256 <= ?"), { after, end });
            moved = rows ? rows.value() : 0;
            return rows ? PgStatus(PgDone {}) : PgStatus(rows.error());
        });
        if (!chunk)
            return chunk;
        copied += moved;
        report(QStringLiteral("attachment bodies"), copied, total.value());
        if (chunkDone())
            return PgDone {};
    }
    m_marker.phase = kEventsPhase;
    m_marker.after = QStringLiteral("0");
    return PgDone {};
}

PgStatus CopyRun::copyEvents()
{
    if (m_marker.phase != kEventsPhase)
        return PgDone {};
    auto total = sourceCount(m_db, eventsTable().name);
    auto done = targetCount(m_target, eventsTable().name);
    if (!total || !done)
        return !total ? total.error() : done.error();
    // Every month's partitions first: making one locks its parent table, which
    // the chunks' transactions must not wait for.
    PgPartitions partitions;
    Statement days(m_db, QStringLiteral("SELECT DISTINCT received_ms / ? FROM events WHERE id > ?"));
    days.bindAll({ kDayMs, m_marker.after.toLongLong() });
    while (days.step())
        if (PgStatus made = partitions.ensureMonth(m_target, days.int64(0) * kDayMs); !made)
            return made;

    QList<TableColumns> columns;
    for (const CopiedTable *table : { &eventsTable(), &eventTagsTable(), &attachmentsTable() }) {
        auto found = columnsOf(*table);
        if (!found)
            return found.error();
        columns.append(found.value());
    }
    qint64 copied = done.value();
    report(QStringLiteral("events"), copied, total.value());
    for (;;) {
        const QString end
            = chunkEnd(QStringLiteral("SELECT max(id) FROM (SELECT id FROM events WHERE id > ? ORDER BY id LIMIT ?)"),
                m_marker.after, m_options.eventsPerChunk);
        if (end.isEmpty())
            break;
        const QVariantList range { m_marker.after.toLongLong(), end.toLongLong() };
        m_marker.after = end;
        qint64 moved = 0;
        const PgStatus chunk = inTransaction([&]() -> PgStatus {
            for (const TableColumns &table : columns) {
                const bool events = table.table == eventsTable().name;
                auto rows = transferRows(m_db, m_target, table,
                    events ? QStringLiteral("t.id > ? AND t.id <= ?")
                           : QStringLiteral("t.event_row > ? AND t.event_row <= ?"),
                    range);
                if (!rows)
                    return rows.error();
                if (events)
                    moved = rows.value();
            }
            // The deduplication key of every copied event (pg_schema.cpp: event_ids).
            auto keys = m_target.exec(QStringLiteral("INSERT INTO event_ids(project_id, event_id, received_ms, "
                                                     "event_row) SELECT project_id, event_id, received_ms, id FROM "
                                                     "events WHERE id > $1 AND id <= $2"),
                { PgParam::integer(range[0].toLongLong()), PgParam::integer(range[1].toLongLong()) });
            return keys ? PgStatus(PgDone {}) : PgStatus(keys.error());
        });
        if (!chunk)
            return chunk;
        Statement size(
            m_db, QStringLiteral("SELECT coalesce(sum(length(raw)), 0) FROM events WHERE id > ? AND id <= ?"));
        size.bindAll(range);
        m_report.rawBytesCopied += size.step() ? size.int64(0) : 0;
        m_report.eventsCopied += moved;
        copied += moved;
        report(QStringLiteral("events"), copied, total.value());
        if (chunkDone())
            return PgDone {};
    }
    m_marker.phase = kDonePhase;
    m_marker.after.clear();
    return PgDone {};
}

PgStatus CopyRun::finish()
{
    if (m_marker.phase != kDonePhase)
        return PgDone {};
    // New rows made in PostgreSQL get ids after the copied ones.
    return inTransaction([&]() -> PgStatus {
        for (const char *table : kIdentityTables) {
            auto set = m_target.exec(QStringLiteral("SELECT setval(pg_get_serial_sequence($1, 'id'), "
                                                    "coalesce(max(id), 0) + 1, false) FROM %1")
                                         .arg(QLatin1String(table)),
                { PgParam::text(QLatin1String(table)) });
            if (!set)
                return set.error();
        }
        auto events = m_target.exec(
            QStringLiteral("SELECT setval('events_id_seq', coalesce(max(id), 0) + 1, false) FROM events"));
        return events ? PgStatus(PgDone {}) : PgStatus(events.error());
    });
}

PgStatus CopyRun::verify()
{
    QList<std::pair<QString, QString>> tables; // name, condition
    for (const CopiedTable &table : catalogTables())
        tables.append({ table.name, table.where });
    for (const CopiedTable *table : { &blobsTable(), &eventsTable(), &eventTagsTable(), &attachmentsTable() })
        tables.append({ table->name, table->where });
    for (qsizetype i = 0; i < tables.size(); ++i) {
        report(QStringLiteral("verifying"), i, tables.size());
        auto source = sourceCount(m_db, tables[i].first, tables[i].second);
        auto target = targetCount(m_target, tables[i].first, tables[i].second);
        if (!source || !target)
            return !source ? source.error() : target.error();
        m_report.counts.append(PgTableCount { tables[i].first, source.value(), target.value() });
    }
    // One deduplication key per event.
    auto events = sourceCount(m_db, eventsTable().name);
    auto keys = targetCount(m_target, QStringLiteral("event_ids"));
    if (!events || !keys)
        return !events ? events.error() : keys.error();
    m_report.counts.append(PgTableCount { QStringLiteral("event_ids"), events.value(), keys.value() });
    report(QStringLiteral("verifying"), tables.size(), tables.size());
    return PgDone {};
}

} // namespace

bool PgCopyReport::countsMatch() const
{
    return !counts.isEmpty()
        && std::all_of(counts.cbegin(), counts.cend(), [](const PgTableCount &c) { return c.matches(); });
}

PgResult<PgCopyReport> copySqliteToPostgres(
    Database &source, PgConnection &target, const PgCopyOptions &options, const PgCopyProgressFunction &progress)
{
    CopyRun run(source, target, options, progress);
    PgResult<PgCopyReport> report = run.run();
    target.exec(QStringLiteral("SELECT pg_advisory_unlock_all()"));
    return report;
}

} // namespace faultline
