#pragma once
// What the Settings dialog stores in the database (per-project retention limits
// and the notification rules), as one value gathered on the GUI thread and
// written in one go on the storage writer.
#include "model/notification_rules.h"
#include "model/result.h"

#include <QList>
#include <QString>

#include <optional>

namespace faultline {

class Database;

struct StoredSettings {
    QList<qint64> projectIds; // whose retention limits change
    int maxAgeDays = 0;
    qint64 maxEvents = 0;
    qint64 maxStoredMiB = 0;
    int attachmentMiBPerHour = 0;
    std::optional<NotificationRules> rules; // when they changed
};

// The words for the dialog when something could not be stored.
Result<void, QString> storeSettings(Database &db, const StoredSettings &wanted);

} // namespace faultline
