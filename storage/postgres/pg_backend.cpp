#include "storage/postgres/pg_backend.h"

#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_storage_error.h"
#include "storage/postgres/pg_uri.h"

namespace faultline {

namespace {

// Read and Write never create a schema: a viewer role may not, and a typo in
// a URI should not leave an empty Faultline schema behind.
StorageResult<void> checkSchema(PgConnection &connection)
{
    const PgResult<int> version = postgresSchemaVersion(connection);
    if (!version)
        return storageErrorFromPg(version.error(), QStringLiteral("reading the schema version"));
    if (version.value() == 0)
        return StorageError { StorageError::Kind::Incompatible,
            QStringLiteral("%1 holds no Faultline database yet (start `faultline --headless --db URI` once, or run "
                           "`faultline projects add NAME --db URI`)")
                .arg(connection.logName()) };
    if (version.value() > latestPostgresSchemaVersion())
        return StorageError { StorageError::Kind::Incompatible,
            QStringLiteral("%1 is at schema version %2, newer than this Faultline knows (%3): use a newer Faultline")
                .arg(connection.logName())
                .arg(version.value())
                .arg(latestPostgresSchemaVersion()) };
    return {};
}

} // namespace

PgBackend::PgBackend(std::unique_ptr<PgConnection> connection)
    : m_connection(std::move(connection))
    , m_projects(*m_connection)
    , m_issues(*m_connection)
    , m_events(*m_connection)
    , m_statuses(*m_connection)
    , m_merger(*m_connection)
    , m_limits(*m_connection)
    , m_pages(*m_connection)
    , m_groupingRules(*m_connection)
    , m_alerts(*m_connection)
    , m_activity(*m_connection)
    , m_tools(*m_connection)
{
}

StorageResult<std::unique_ptr<StorageBackend>> PgBackend::open(const QString &uri, BackendUse use, int stopFd)
{
    auto connection = stopFd >= 0 ? PgConnection::openStoppable(uri, stopFd) : PgConnection::open(uri);
    if (!connection)
        return storageErrorFromPg(connection.error()); // it names the server already
    std::unique_ptr<PgBackend> backend(new PgBackend(std::move(connection).value()));
    if (use != BackendUse::Create) {
        if (auto checked = checkSchema(backend->connection()); !checked)
            return checked.error();
        return std::unique_ptr<StorageBackend>(std::move(backend));
    }
    const PgResult<int> migrated = migratePostgres(backend->connection());
    if (!migrated)
        return storageErrorFromPg(migrated.error());
    if (auto added = backend->m_projects.addDefaultWhenEmpty(); !added)
        return added.error();
    return std::unique_ptr<StorageBackend>(std::move(backend));
}

QString PgBackend::appState(const QString &key) const
{
    const auto rows
        = m_connection->exec(QStringLiteral("SELECT value FROM app_state WHERE key = $1"), { PgParam::text(key) });
    return rows && rows->rowCount() > 0 ? rows->text(0, 0) : QString();
}

StorageResult<void> PgBackend::setAppState(const QString &key, const QString &value)
{
    const auto stored = m_connection->exec(QStringLiteral("INSERT INTO app_state(key, value) VALUES ($1, $2) "
                                                          "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"),
        { PgParam::text(key), PgParam::text(value) });
    if (!stored)
        return storageErrorFromPg(stored.error(), QStringLiteral("storing %1").arg(key));
    return {};
}

} // namespace faultline
