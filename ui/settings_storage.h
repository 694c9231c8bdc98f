#pragma once
// What the Settings dialog stores (per-project retention limits and the
// notification rules), as one value gathered on the GUI thread and written in
// one go on the storage writer; and where the notification rules live.
//
// Notification rules say which issues pop up on *this* desktop. On a SQLite
// database that is one person's, so the database keeps them (every window on
// it follows them). On a shared PostgreSQL database they are personal: a
// colleague who wants every new issue must not turn on pop-ups on mine, and a
// viewer role should not need rights for a preference. There they stay in this
// desktop's QSettings, one entry per database (their project ids are that
// database's). Retention limits are the database's on both: they decide what
// every collector keeps.
#include "model/notification_rules.h"
#include "model/result.h"
#include "storage/storage_error.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QObject;

namespace faultline {

class StorageBackend;
class StorageGateway;

struct StoredSettings {
    QList<qint64> projectIds; // whose retention limits change (none: the limits were not edited)
    int maxAgeDays = 0;
    qint64 maxEvents = 0;
    qint64 maxStoredMiB = 0;
    int attachmentMiBPerHour = 0;
    std::optional<NotificationRules> rules; // when they changed and the database keeps them
};

// The words for the dialog when something could not be stored.
Result<void, QString> storeSettings(StorageBackend &backend, const StoredSettings &wanted);

// True on PostgreSQL: the rules are this desktop's (see above).
bool notificationRulesPerDesktop(const StorageGateway &storage);
// The stored rules as JSON (empty: none yet), from wherever they live; `done` runs on
// `receiver`'s thread, later, never inside this call.
void readNotificationRules(
    StorageGateway &storage, QObject *receiver, std::function<void(const StorageResult<QString> &)> done);
// Keeps them in this desktop's settings for `storage`'s database (per-desktop only).
void storeDesktopNotificationRules(const StorageGateway &storage, const NotificationRules &rules);

} // namespace faultline
