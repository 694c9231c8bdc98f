#include "storage/project_settings.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

constexpr int kDefaultMaxAgeDays = 90;
constexpr qint64 kDefaultMaxEvents = 100'000;

// Projects without a settings row read as the defaults, bound as ?1..?3.
const QString kSelectSettings = QStringLiteral(
    "SELECT p.id, coalesce(s.max_age_days, ?1), coalesce(s.max_events, ?2), coalesce(s.events_per_minute, ?3) "
    "FROM projects p LEFT JOIN project_settings s ON s.project_id = p.id");

void bindDefaults(Statement &select)
{
    const ProjectSettings defaults = ProjectSettings::defaults(0);
    select.bindAll({ defaults.maxAgeDays, defaults.maxEvents, defaults.eventsPerMinute });
}

ProjectSettings readSettings(const Statement &select)
{
    return ProjectSettings { select.int64(0), int(select.int64(1)), select.int64(2), int(select.int64(3)) };
}

} // namespace

ProjectSettings ProjectSettings::defaults(qint64 projectId)
{
    return ProjectSettings { projectId, kDefaultMaxAgeDays, kDefaultMaxEvents, 0 };
}

std::optional<ProjectSettings> ProjectSettingsStore::get(qint64 projectId) const
{
    Statement select(m_db.handle(), kSelectSettings + QStringLiteral(" WHERE p.id = ?4"));
    bindDefaults(select);
    select.bind(4, projectId);
    if (select.step())
        return readSettings(select);
    if (!select.error().isEmpty())
        spdlog::error("reading the limits of project {} failed: {}", projectId, select.error().toStdString());
    return std::nullopt;
}

bool ProjectSettingsStore::set(const ProjectSettings &settings, QString *error)
{
    Statement upsert(m_db.handle(),
        QStringLiteral("INSERT INTO project_settings(project_id, max_age_days, max_events, events_per_minute) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT(project_id) DO UPDATE SET max_age_days = "
                       "excluded.max_age_days, max_events = excluded.max_events, events_per_minute = "
                       "excluded.events_per_minute"));
    upsert.bindAll({ settings.projectId, settings.maxAgeDays, settings.maxEvents, settings.eventsPerMinute });
    if (upsert.exec())
        return true;
    spdlog::warn("storing the limits of project {} failed: {}", settings.projectId, upsert.error().toStdString());
    if (error)
        *error = upsert.error();
    return false;
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
