#include "storage/postgres/pg_project_store.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_storage_error.h"
#include "storage/public_key.h"

#include <QDateTime>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

const QString kSelectProject = QStringLiteral("SELECT id, name, public_key, created_ms FROM projects");

Project readProject(const PgRows &rows, int row)
{
    return Project { rows.int64(row, 0), rows.text(row, 1), rows.text(row, 2), rows.int64(row, 3) };
}

} // namespace

QList<Project> PgProjectStore::all() const
{
    const auto rows = m_connection.exec(kSelectProject + QStringLiteral(" ORDER BY id"));
    if (!rows) {
        spdlog::error("listing projects in {} failed: {}", m_connection.logName().toStdString(),
            rows.error().message.toStdString());
        return {};
    }
    QList<Project> projects;
    for (int row = 0; row < rows->rowCount(); ++row)
        projects.append(readProject(rows.value(), row));
    return projects;
}

StorageResult<Project> PgProjectStore::byId(qint64 id) const
{
    return one("id", QByteArray::number(id), QStringLiteral("project %1").arg(id));
}

StorageResult<Project> PgProjectStore::byName(const QString &name) const
{
    return one("name", name.toUtf8(), QStringLiteral("project '%1'").arg(name));
}

StorageResult<Project> PgProjectStore::byPublicKey(const QString &publicKey) const
{
    return one("public_key", publicKey.toUtf8(), QStringLiteral("the project of key %1").arg(publicKey));
}

StorageResult<Project> PgProjectStore::one(const char *column, const QByteArray &value, const QString &what) const
{
    const auto rows = m_connection.exec(
        kSelectProject + QStringLiteral(" WHERE %1 = $1").arg(QLatin1String(column)), { PgParam::text(value) });
    if (!rows)
        return storageErrorFromPg(rows.error(), QStringLiteral("reading ") + what);
    if (rows->rowCount() == 0)
        return StorageError::notFound(what);
    return readProject(rows.value(), 0);
}

StorageResult<Project> PgProjectStore::add(const QString &name)
{
    Project project { 0, name, generatePublicKey(), QDateTime::currentMSecsSinceEpoch() };
    const auto rows
        = m_connection.exec(QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ($1, $2, $3) "
                                           "RETURNING id"),
            { PgParam::text(project.name), PgParam::text(project.publicKey), PgParam::integer(project.createdMs) });
    if (!rows) {
        const StorageError error = storageErrorFromPg(rows.error(), QStringLiteral("adding project '%1'").arg(name));
        spdlog::error("{}", error.detail.toStdString());
        return error;
    }
    project.id = rows->int64(0, 0);
    return project;
}

StorageResult<void> PgProjectStore::addDefaultWhenEmpty()
{
    // No explicit id (SQLite's is 1): the identity column would not know it was taken.
    const auto rows = m_connection.exec(
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) SELECT 'default', $1, $2 "
                       "WHERE NOT EXISTS (SELECT 1 FROM projects) ON CONFLICT DO NOTHING"),
        { PgParam::text(generatePublicKey()), PgParam::integer(QDateTime::currentMSecsSinceEpoch()) });
    if (!rows)
        return storageErrorFromPg(rows.error(), QStringLiteral("adding the default project"));
    return {};
}

} // namespace faultline
