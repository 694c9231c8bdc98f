#include "storage/project_store.h"

#include "storage/database.h"
#include "storage/public_key.h"
#include "storage/statement.h"

#include <QDateTime>

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

std::optional<Project> ProjectStore::byId(qint64 id) const
{
    Statement select(m_db.handle(), kSelectProject + QStringLiteral(" WHERE id = ?"));
    select.bind(1, id);
    if (select.step())
        return readProject(select);
    return std::nullopt;
}

Project ProjectStore::add(const QString &name)
{
    Project project { 0, name, generatePublicKey(), QDateTime::currentMSecsSinceEpoch() };
    Statement insert(m_db.handle(),
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES (?, ?, ?) RETURNING id"));
    insert.bindAll({ project.name, project.publicKey, project.createdMs });
    if (insert.step()) {
        project.id = insert.int64(0);
        insert.exec(); // finish the statement so the insert is complete
    } else {
        spdlog::error("adding project '{}' failed: {}", name.toStdString(), insert.error().toStdString());
    }
    return project; // id 0 when it failed (e.g. the name is taken)
}

std::optional<Project> ProjectStore::rotateKey(qint64 id)
{
    Statement update(m_db.handle(), QStringLiteral("UPDATE projects SET public_key = ? WHERE id = ?"));
    update.bindAll({ generatePublicKey(), id });
    if (!update.exec()) {
        spdlog::error("rotating the key of project {} failed: {}", id, update.error().toStdString());
        return std::nullopt;
    }
    return byId(id);
}

bool ProjectStore::remove(qint64 id)
{
    sqlite3 *db = m_db.handle();
    QString error;
    if (!execSql(db, "BEGIN IMMEDIATE", &error)) {
        spdlog::error("removing project {} failed: {}", id, error.toStdString());
        return false;
    }
    // Foreign keys cascade to issues, events, tags, attachments and client-report counts;
    // the FTS trigger follows the events. Shared attachment bodies go when unused.
    Statement remove(db, QStringLiteral("DELETE FROM projects WHERE id = ?"));
    remove.bind(1, id);
    bool ok = remove.exec();
    Statement orphans(
        db, QStringLiteral("DELETE FROM attachment_blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments)"));
    ok = ok && orphans.exec();
    // Refusals may name no project (0), so they have no foreign key to cascade.
    for (const char *sql :
        { "DELETE FROM refusal_counts WHERE project_id = ?", "DELETE FROM refusal_examples WHERE project_id = ?" }) {
        Statement refusals(db, QString::fromLatin1(sql));
        refusals.bind(1, id);
        ok = ok && refusals.exec();
        if (!refusals.error().isEmpty())
            error = refusals.error();
    }
    if (!ok || !execSql(db, "COMMIT", &error)) {
        spdlog::error("removing project {} failed: {}", id, (remove.error() + orphans.error() + error).toStdString());
        execSql(db, "ROLLBACK");
        return false;
    }
    return true;
}

QString ProjectStore::dsn(const Project &project, const QString &hostPort)
{
    return QStringLiteral("http://%1@%2/%3").arg(project.publicKey, hostPort).arg(project.id);
}

} // namespace faultline
