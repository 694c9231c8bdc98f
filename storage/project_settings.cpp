#include "storage/project_settings.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

constexpr int kDefaultMaxAgeDays = 90;
constexpr qint64 kDefaultMaxEvents = 100'000;

// Projects without a settings row (or a column) read as the defaults, bound as ?1..?5.
const QString kSelectSettings = QStringLiteral(
    "SELECT p.id, coalesce(s.max_age_days, ?1), coalesce(s.max_events, ?2), coalesce(s.events_per_minute, ?3), "
    "coalesce(s.attachment_mib_per_hour, ?4), coalesce(s.max_stored_mib, ?5), coalesce(s.scrub_opt_outs, '') "
    "FROM projects p LEFT JOIN project_settings s ON s.project_id = p.id");

void bindDefaults(Statement &select)
{
    const ProjectSettings defaults = ProjectSettings::defaults(0);
    select.bindAll({ defaults.maxAgeDays, defaults.maxEvents, defaults.eventsPerMinute, defaults.attachmentMiBPerHour,
        defaults.maxStoredMiB });
}

ProjectSettings readSettings(const Statement &select)
{
    return ProjectSettings { select.int64(0), int(select.int64(1)), select.int64(2), int(select.int64(3)),
        int(select.int64(4)), select.int64(5), select.text(6) };
}

} // namespace

ProjectSettings ProjectSettings::defaults(qint64 projectId)
{
    ProjectSettings settings;
    settings.projectId = projectId;
    settings.maxAgeDays = kDefaultMaxAgeDays;
    settings.maxEvents = kDefaultMaxEvents;
    return settings;
}

StorageResult<ProjectSettings> ProjectSettingsStore::get(qint64 projectId) const
{
    Statement select(m_db.handle(), kSelectSettings + QStringLiteral(" WHERE p.id = ?6"));
    bindDefaults(select);
    select.bind(6, projectId);
    if (select.step())
        return readSettings(select);
    return select.noRow(QStringLiteral("project %1").arg(projectId));
}

StorageResult<void> ProjectSettingsStore::set(const ProjectSettings &settings)
{
    Statement upsert(m_db.handle(),
        QStringLiteral("INSERT INTO project_settings(project_id, max_age_days, max_events, events_per_minute, "
                       "attachment_mib_per_hour, max_stored_mib, scrub_opt_outs) VALUES (?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT(project_id) "
                       "DO UPDATE SET max_age_days = excluded.max_age_days, max_events = excluded.max_events, "
                       "events_per_minute = excluded.events_per_minute, attachment_mib_per_hour = "
                       "excluded.attachment_mib_per_hour, max_stored_mib = excluded.max_stored_mib, "
                       "scrub_opt_outs = excluded.scrub_opt_outs"));
    upsert.bindAll({ settings.projectId, settings.maxAgeDays, settings.maxEvents, settings.eventsPerMinute,
        settings.attachmentMiBPerHour, settings.maxStoredMiB, settings.scrubOptOuts });
    if (upsert.exec())
        return {};
    spdlog::warn("storing the limits of project {} failed: {}", settings.projectId, upsert.error().toStdString());
    return upsert.storageError(); // a CHECK (negative limit) or the foreign key (no such project): Constraint
}

QList<ProjectSettings> ProjectSettingsStore::all() const
{
    Statement select(m_db.handle(), kSelectSettings + QStringLiteral(" ORDER BY p.id"));
    bindDefaults(select);
    QList<ProjectSettings> settings;
    while (select.step())
        settings.append(readSettings(select));
    if (!select.error().isEmpty())
        spdlog::error("listing project limits failed: {}", select.error().toStdString());
    return settings;
}

} // namespace faultline
