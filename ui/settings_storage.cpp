#include "ui/settings_storage.h"

#include "storage/app_state.h"
#include "storage/database.h"
#include "storage/project_settings.h"
#include "storage/statement.h"

#include <QCoreApplication>

namespace faultline {

Result<void, QString> storeSettings(Database &db, const StoredSettings &wanted)
{
    ProjectSettingsStore projects(db);
    for (qint64 id : wanted.projectIds) {
        ProjectSettings settings = projects.get(id).value_or(ProjectSettings::defaults(id));
        settings.maxAgeDays = wanted.maxAgeDays;
        settings.maxEvents = wanted.maxEvents;
        settings.maxStoredMiB = wanted.maxStoredMiB;
        settings.attachmentMiBPerHour = wanted.attachmentMiBPerHour;
        if (const StorageResult<void> stored = projects.set(settings); !stored)
            return QCoreApplication::translate("SettingsDialog", "Could not store the retention limits: %1.")
                .arg(storageErrorText(stored.error()));
    }
    QString error;
    if (wanted.rules && !writeAppState(db, kNotificationRulesKey, wanted.rules->toJson(), &error))
        return QCoreApplication::translate("SettingsDialog", "Could not store the notification rules: %1.")
            .arg(storageErrorText(lastStorageError(db.handle(), error)));
    return {};
}

} // namespace faultline
