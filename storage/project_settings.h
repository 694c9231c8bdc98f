#pragma once
// Per-project limits: how long, how many and how many bytes of events to keep
// (Retention) and how many events and attachment bytes to accept (the
// collector's rate limits).
#include "storage/storage_error.h"

#include <QList>
#include <QString>

#include <optional>

namespace faultline {

class Database;

struct ProjectSettings {
    qint64 projectId = 0;
    int maxAgeDays = 0; // 0 = keep forever
    qint64 maxEvents = 0; // 0 = unlimited
    int eventsPerMinute = 0; // 0 = no limit of its own (the collector's --rate-limit default applies)
    // Attachment bytes accepted per hour, in MiB (0 = unlimited): over it, events are kept
    // without their attachments. 100 MiB an hour lets a normal service's pages and dumps through.
    int attachmentMiBPerHour = 100;
    qint64 maxStoredMiB = 0; // compressed events + their attachments; 0 = unlimited
    // Scrub rules this project opted out of, Relay's names comma-separated
    // ("creditcard,usssn"; model/scrub.h parseScrubOptOuts); '' = every rule applies.
    QString scrubOptOuts = QString();

    // What a project gets until someone sets its limits: Sentry's 90 days, and
    // a count cap so one service in a crash loop cannot fill the disk in an
    // afternoon (100000 events are a few hundred MB of compressed JSON).
    static ProjectSettings defaults(qint64 projectId);

    friend bool operator==(const ProjectSettings &, const ProjectSettings &) = default;
};

class ProjectSettingsStore {
public:
    explicit ProjectSettingsStore(Database &db)
        : m_db(db)
    {
    }

    // The stored limits, or defaults() when none were set; NotFound for an unknown project.
    StorageResult<ProjectSettings> get(qint64 projectId) const;
    // Constraint for an unknown project or a negative limit.
    StorageResult<void> set(const ProjectSettings &settings);
    // Every project, by id, with defaults() filled in where nothing was set.
    QList<ProjectSettings> all() const;

private:
    Database &m_db;
};

} // namespace faultline
