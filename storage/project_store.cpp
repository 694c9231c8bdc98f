#include "storage/project_store.h"

#include "storage/database.h"
#include "storage/public_key.h"
#include "storage/statement.h"

#include <QDateTime>

#include <optional>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

const QString kSelectProject = QStringLiteral("SELECT id, name, public_key, created_ms FROM projects");

Project readProject(const Statement &statement)
{
    return Project { statement.int64(0), statement.text(1), statement.text(2), statement.int64(3) };
}

} // namespace

QList<Project> ProjectStore::all() const
{
    QList<Project> projects;
    Statement select(m_db.handle(), kSelectProject + QStringLiteral(" ORDER BY id"));
    while (select.step())
        projects.append(readProject(select));
    if (!select.error().isEmpty())
        spdlog::error("listing projects failed: {}", select.error().toStdString());
    return projects;
}

StorageResult<Project> ProjectStore::byId(qint64 id) const
{
    return one(QStringLiteral("id"), id, QStringLiteral("project %1").arg(id));
}

StorageResult<Project> ProjectStore::byName(const QString &name) const
{
    return one(QStringLiteral("name"), name, QStringLiteral("project '%1'").arg(name));
}

StorageResult<Project> ProjectStore::byPublicKey(const QString &publicKey) const
{
    return one(QStringLiteral("public_key"), publicKey, QStringLiteral("the project of key %1").arg(publicKey));
}

StorageResult<Project> ProjectStore::one(const QString &column, const QVariant &value, const QString &what) const
{
    Statement select(m_db.handle(), kSelectProject + QStringLiteral(" WHERE %1 = ?").arg(column));
    select.bindAll({ value });
    if (select.step())
        return readProject(select);
    if (!select.error().isEmpty())
        return select.storageError(QStringLiteral("reading ") + what);
    return StorageError::notFound(what);
}

StorageResult<Project> ProjectStore::add(const QString &name)
{
    Project project { 0, name, generatePublicKey(), QDateTime::currentMSecsSinceEpoch() };
    Statement insert(m_db.handle(),
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES (?, ?, ?) RETURNING id"));
    insert.bindAll({ project.name, project.publicKey, project.createdMs });
    if (!insert.step()) {
        const StorageError error = insert.storageError(QStringLiteral("adding project '%1'").arg(name));
        spdlog::error("{}", error.detail.toStdString());
        return error;
    }
    project.id = insert.int64(0);
    if (!insert.exec()) { // finish the statement so the insert is complete
        const StorageError error = insert.storageError(QStringLiteral("adding project '%1'").arg(name));
        spdlog::error("{}", error.detail.toStdString());
        return error;
    }
    return project;
}

StorageResult<Project> ProjectStore::rotateKey(qint64 id)
{
    Statement update(m_db.handle(), QStringLiteral("UPDATE projects SET public_key = ? WHERE id = ?"));
    update.bindAll({ generatePublicKey(), id });
    if (!update.exec()) {
        const StorageError error = update.storageError(QStringLiteral("rotating the key of project %1").arg(id));
        spdlog::error("{}", error.detail.toStdString());
        return error;
    }
    return byId(id);
}

StorageResult<void> ProjectStore::remove(qint64 id)
{
    sqlite3 *db = m_db.handle();
    const QString what = QStringLiteral("removing project %1").arg(id);
    QString error;
    if (!execSql(db, "BEGIN IMMEDIATE", &error)) {
        const StorageError failure = lastStorageError(db, what);
        spdlog::error("{}", failure.detail.toStdString());
        return failure;
    }
    // Foreign keys cascade to issues, events, tags, attachments and client-report counts;
    // the FTS trigger follows the events. Shared attachment bodies go when unused.
    Statement remove(db, QStringLiteral("DELETE FROM projects WHERE id = ?"));
    remove.bind(1, id);
    Statement orphans(
        db, QStringLiteral("DELETE FROM attachment_blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments)"));
    std::optional<StorageError> failure;
    if (!remove.exec())
        failure = remove.storageError(what);
    else if (!orphans.exec())
        failure = orphans.storageError(what);
    // Refusals may name no project (0), so they have no foreign key to cascade.
    for (const char *sql :
        { "DELETE FROM refusal_counts WHERE project_id = ?", "DELETE FROM refusal_examples WHERE project_id = ?" }) {
        if (failure)
            break;
        Statement refusals(db, QString::fromLatin1(sql));
        refusals.bind(1, id);
        if (!refusals.exec())
            failure = refusals.storageError(what);
    }
    if (!failure && !execSql(db, "COMMIT", &error))
        failure = lastStorageError(db, what);
    if (failure) {
        spdlog::error("{}", failure->detail.toStdString());
        execSql(db, "ROLLBACK");
        return *failure;
    }
    return {};
}

QString ProjectStore::addProblem(const StorageError &error, const QString &name)
{
    // Names are the only unique column a new project's row can collide on (the key is random).
    if (error.kind == StorageError::Kind::Constraint)
        return QStringLiteral("a project named \"%1\" exists already").arg(name);
    return storageErrorText(error);
}

QString ProjectStore::dsn(const Project &project, const QString &hostPort)
{
    return QStringLiteral("http://%1@%2/%3").arg(project.publicKey, hostPort).arg(project.id);
}

} // namespace faultline
