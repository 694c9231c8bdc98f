#include "storage/postgres/pg_project_tools.h"

#include "storage/postgres/pg_connection.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

bool failed(const PgError &failure, const char *what, QString *error)
{
    spdlog::warn("{} failed: {}", what, failure.message.toStdString());
    if (error)
        *error = failure.message;
    return false;
}

} // namespace

QList<SourceRoot> PgProjectTools::sourceRoots(qint64 projectId) const
{
    // Ordered by characters, as SQLite compares them (BINARY), whatever the database's collation.
    const auto rows
        = m_connection.exec(QStringLiteral("SELECT remote_prefix, local_root FROM source_roots WHERE project_id = $1 "
                                           "ORDER BY length(remote_prefix) DESC, remote_prefix COLLATE \"C\""),
            { PgParam::integer(projectId) });
    if (!rows) {
        spdlog::error(
            "reading the source roots of project {} failed: {}", projectId, rows.error().message.toStdString());
        return {};
    }
    QList<SourceRoot> roots;
    for (int row = 0; row < rows->rowCount(); ++row)
        roots.append({ rows->text(row, 0), rows->text(row, 1) });
    return roots;
}

bool PgProjectTools::setSourceRoots(qint64 projectId, const QList<SourceRoot> &roots, QString *error)
{
    PgStatus done = m_connection.begin();
    if (done) {
        const auto cleared = m_connection.exec(
            QStringLiteral("DELETE FROM source_roots WHERE project_id = $1"), { PgParam::integer(projectId) });
        if (!cleared)
            done = cleared.error();
    }
    for (const SourceRoot &root : roots) {
        if (!done)
            break;
        const auto inserted = m_connection.exec(
            QStringLiteral("INSERT INTO source_roots(project_id, remote_prefix, local_root) VALUES ($1, $2, $3) "
                           "ON CONFLICT (project_id, remote_prefix) DO UPDATE SET local_root = EXCLUDED.local_root"),
            { PgParam::integer(projectId), PgParam::text(root.remotePrefix), PgParam::text(root.localRoot) });
        if (!inserted)
            done = inserted.error();
    }
    if (done)
        done = m_connection.commit();
    if (done)
        return true;
    m_connection.rollback();
    return failed(done.error(), "storing source roots", error);
}

QString PgProjectTools::replayBaseUrl(qint64 projectId) const
{
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT base_url FROM replay_targets WHERE project_id = $1"), { PgParam::integer(projectId) });
    return rows && rows->rowCount() > 0 ? rows->text(0, 0) : QString();
}

bool PgProjectTools::setReplayBaseUrl(qint64 projectId, const QString &baseUrl, QString *error)
{
    const auto stored = baseUrl.isEmpty()
        ? m_connection.exec(
            QStringLiteral("DELETE FROM replay_targets WHERE project_id = $1"), { PgParam::integer(projectId) })
        : m_connection.exec(QStringLiteral("INSERT INTO replay_targets(project_id, base_url) VALUES ($1, $2) "
                                           "ON CONFLICT (project_id) DO UPDATE SET base_url = EXCLUDED.base_url"),
            { PgParam::integer(projectId), PgParam::text(baseUrl) });
    return stored || failed(stored.error(), "storing the replay base URL", error);
}

} // namespace faultline
