#include "storage/postgres/pg_project_store.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_storage_error.h"
#include "storage/public_key.h"

#include <QDateTime>
#include <QStringList>

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

StorageResult<Project> PgProjectStore::rotateKey(qint64 id)
{
    const auto rows
        = m_connection.exec(QStringLiteral("UPDATE projects SET public_key = $1 WHERE id = $2 RETURNING id"),
            { PgParam::text(generatePublicKey()), PgParam::integer(id) });
    if (!rows) {
        const StorageError error
            = storageErrorFromPg(rows.error(), QStringLiteral("rotating the key of project %1").arg(id));
        spdlog::error("{}", error.detail.toStdString());
        return error;
    }
    if (rows->rowCount() == 0)
        return StorageError::notFound(QStringLiteral("project %1").arg(id));
    return byId(id);
}

StorageResult<void> PgProjectStore::remove(qint64 id)
{
    // Tags and attachments are partitioned and name their event by row id only (no foreign
    // key to cascade): they go first. The project's row then takes its issues, events,
    // keys, settings and rules with it; the bodies only its attachments used go last.
    // Refusals may name no project (0), so they have no foreign key either.
    const QString eventRows = QStringLiteral("SELECT id FROM events WHERE project_id = $1");
    const PgParams project { PgParam::integer(id) };
    PgStatus done = m_connection.begin();
    PgResult<PgRows> bodies = PgRows();
    if (done)
        bodies = m_connection.exec(
            QStringLiteral("SELECT DISTINCT sha256 FROM attachments WHERE event_row IN (%1)").arg(eventRows), project);
    if (done && !bodies)
        done = bodies.error();
    QStringList hashes; // hex digests: a comma never occurs in one
    for (int row = 0; done && row < bodies->rowCount(); ++row)
        hashes.append(bodies->text(row, 0));
    const std::pair<QString, PgParams> steps[] = {
        { QStringLiteral("DELETE FROM event_tags WHERE event_row IN (%1)").arg(eventRows), project },
        { QStringLiteral("DELETE FROM attachments WHERE event_row IN (%1)").arg(eventRows), project },
        { QStringLiteral("DELETE FROM projects WHERE id = $1"), project },
        { QStringLiteral("DELETE FROM attachment_blobs b WHERE sha256 = ANY(string_to_array($1, ',')) "
                         "AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256)"),
            { PgParam::text(hashes.join(u',')) } },
        { QStringLiteral("DELETE FROM refusal_counts WHERE project_id = $1"), project },
        { QStringLiteral("DELETE FROM refusal_examples WHERE project_id = $1"), project },
    };
    for (const auto &[sql, params] : steps) {
        if (!done)
            break;
        if (const auto ran = m_connection.exec(sql, params); !ran)
            done = ran.error();
    }
    if (done)
        done = m_connection.commit();
    if (!done) {
        m_connection.rollback();
        const StorageError error = storageErrorFromPg(done.error(), QStringLiteral("removing project %1").arg(id));
        spdlog::error("{}", error.detail.toStdString());
        return error;
    }
    return {};
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
