#include "storage/postgres/pg_project_limits.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_storage_error.h"

#include <spdlog/spdlog.h>

namespace faultline {

StorageResult<QList<ProjectSettings>> PgProjectLimits::read(qint64 onlyProjectId) const
{
    // Projects without a settings row (or a column) read as the defaults, $1..$5.
    const ProjectSettings defaults = ProjectSettings::defaults(0);
    const auto rows = m_connection.exec(
        QStringLiteral("SELECT p.id, coalesce(s.max_age_days, $1), coalesce(s.max_events, $2), "
                       "coalesce(s.events_per_minute, $3), coalesce(s.attachment_mib_per_hour, $4), "
                       "coalesce(s.max_stored_mib, $5), coalesce(s.scrub_opt_outs, '') FROM projects p "
                       "LEFT JOIN project_settings s ON s.project_id = p.id WHERE $6 = 0 OR p.id = $6 ORDER BY p.id"),
        { PgParam::integer(defaults.maxAgeDays), PgParam::integer(defaults.maxEvents),
            PgParam::integer(defaults.eventsPerMinute), PgParam::integer(defaults.attachmentMiBPerHour),
            PgParam::integer(defaults.maxStoredMiB), PgParam::integer(onlyProjectId) });
    if (!rows)
        return storageErrorFromPg(rows.error());
    QList<ProjectSettings> settings;
    for (int row = 0; row < rows->rowCount(); ++row)
        settings.append(ProjectSettings { rows->int64(row, 0), int(rows->int64(row, 1)), rows->int64(row, 2),
            int(rows->int64(row, 3)), int(rows->int64(row, 4)), rows->int64(row, 5), rows->text(row, 6) });
    return settings;
}

StorageResult<ProjectSettings> PgProjectLimits::get(qint64 projectId) const
{
    const StorageError unknown = StorageError::notFound(QStringLiteral("project %1").arg(projectId));
    if (projectId <= 0)
        return unknown; // read(0) would be every project
    const StorageResult<QList<ProjectSettings>> one = read(projectId);
    if (!one)
        return one.error();
    if (one->isEmpty())
        return unknown;
    return one->first();
}

StorageResult<void> PgProjectLimits::set(const ProjectSettings &settings)
{
    const auto stored = m_connection.exec(
        QStringLiteral("INSERT INTO project_settings(project_id, max_age_days, max_events, events_per_minute, "
                       "attachment_mib_per_hour, max_stored_mib, scrub_opt_outs) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                       "ON CONFLICT (project_id) DO UPDATE SET max_age_days = EXCLUDED.max_age_days, "
                       "max_events = EXCLUDED.max_events, events_per_minute = EXCLUDED.events_per_minute, "
                       "attachment_mib_per_hour = EXCLUDED.attachment_mib_per_hour, "
                       "max_stored_mib = EXCLUDED.max_stored_mib, scrub_opt_outs = EXCLUDED.scrub_opt_outs"),
        { PgParam::integer(settings.projectId), PgParam::integer(settings.maxAgeDays),
            PgParam::integer(settings.maxEvents), PgParam::integer(settings.eventsPerMinute),
            PgParam::integer(settings.attachmentMiBPerHour), PgParam::integer(settings.maxStoredMiB),
            PgParam::text(settings.scrubOptOuts) });
    if (stored)
        return {};
    spdlog::warn(
        "storing the limits of project {} failed: {}", settings.projectId, stored.error().message.toStdString());
    return storageErrorFromPg(stored.error()); // a CHECK (negative limit) or the foreign key (no such project)
}

QList<ProjectSettings> PgProjectLimits::all() const
{
    const StorageResult<QList<ProjectSettings>> every = read(0);
    if (every)
        return *every;
    spdlog::error("reading project limits from {} failed: {}", m_connection.logName().toStdString(),
        every.error().detail.toStdString());
    return {};
}

} // namespace faultline
