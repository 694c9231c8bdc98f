#include "storage/project_tools.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

bool run(Statement &statement, QString *error, const char *what)
{
    if (statement.exec())
        return true;
    spdlog::warn("{} failed: {}", what, statement.error().toStdString());
    if (error)
        *error = statement.error();
    return false;
}

} // namespace

QList<SourceRoot> ProjectToolsStore::sourceRoots(qint64 projectId) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT remote_prefix, local_root FROM source_roots WHERE project_id = ? "
                       "ORDER BY length(remote_prefix) DESC, remote_prefix"));
    select.bind(1, projectId);
    QList<SourceRoot> roots;
    while (select.step())
        roots.append({ select.text(0), select.text(1) });
    if (!select.error().isEmpty())
        spdlog::error("reading the source roots of project {} failed: {}", projectId, select.error().toStdString());
    return roots;
}

bool ProjectToolsStore::setSourceRoots(qint64 projectId, const QList<SourceRoot> &roots, QString *error)
{
    if (!execSql(m_db.handle(), "BEGIN IMMEDIATE", error))
        return false;
    Statement clear(m_db.handle(), QStringLiteral("DELETE FROM source_roots WHERE project_id = ?"));
    clear.bind(1, projectId);
    bool ok = run(clear, error, "clearing source roots");
    for (const SourceRoot &root : roots) {
        if (!ok)
            break;
        Statement insert(m_db.handle(),
            QStringLiteral(
                "INSERT OR REPLACE INTO source_roots(project_id, remote_prefix, local_root) VALUES (?, ?, ?)"));
        insert.bindAll({ projectId, root.remotePrefix, root.localRoot });
        ok = run(insert, error, "storing a source root");
    }
    execSql(m_db.handle(), ok ? "COMMIT" : "ROLLBACK");
    return ok;
}

QString ProjectToolsStore::replayBaseUrl(qint64 projectId) const
{
    Statement select(m_db.handle(), QStringLiteral("SELECT base_url FROM replay_targets WHERE project_id = ?"));
    select.bind(1, projectId);
    return select.step() ? select.text(0) : QString();
}

bool ProjectToolsStore::setReplayBaseUrl(qint64 projectId, const QString &baseUrl, QString *error)
{
    Statement statement(m_db.handle(),
        baseUrl.isEmpty() ? QStringLiteral("DELETE FROM replay_targets WHERE project_id = ?1")
                          : QStringLiteral("INSERT INTO replay_targets(project_id, base_url) VALUES (?1, ?2) "
                                           "ON CONFLICT(project_id) DO UPDATE SET base_url = excluded.base_url"));
    statement.bind(1, projectId);
    if (!baseUrl.isEmpty())
        statement.bind(2, baseUrl);
    return run(statement, error, "storing the replay base URL");
}

} // namespace faultline
