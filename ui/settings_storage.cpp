#include "ui/settings_storage.h"

#include "storage/app_state.h"
#include "storage/backend.h"
#include "storage/postgres/pg_uri.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QSettings>

namespace faultline {

namespace {

// One key per database; the URI (without its password) hashed, since QSettings reads '/' as groups.
QString desktopRulesKey(const StorageGateway &storage)
{
    const QByteArray database = connectionStringForLog(storage.path()).toUtf8();
    return QStringLiteral("notifications/rulesByDatabase/")
        + QString::fromLatin1(QCryptographicHash::hash(database, QCryptographicHash::Sha256).toHex().left(24));
}

} // namespace

Result<void, QString> storeSettings(StorageBackend &backend, const StoredSettings &wanted)
{
    ProjectLimitStore &limits = backend.limits();
    for (qint64 id : wanted.projectIds) {
        // The other limits (rate, attachments, scrubbing) stay as stored: never overwritten after a failed read.
        const StorageResult<ProjectSettings> current = limits.get(id);
        if (!current && current.error().kind != StorageError::Kind::NotFound)
            return QCoreApplication::translate("SettingsDialog", "Could not read the retention limits: %1.")
                .arg(storageErrorText(current.error()));
        ProjectSettings settings = current ? *current : ProjectSettings::defaults(id);
        settings.maxAgeDays = wanted.maxAgeDays;
        settings.maxEvents = wanted.maxEvents;
        settings.maxStoredMiB = wanted.maxStoredMiB;
        settings.attachmentMiBPerHour = wanted.attachmentMiBPerHour;
        if (const StorageResult<void> stored = limits.set(settings); !stored)
            return QCoreApplication::translate("SettingsDialog", "Could not store the retention limits: %1.")
                .arg(storageErrorShortText(stored.error()));
    }
    if (wanted.rules) {
        if (const StorageResult<void> stored = backend.setAppState(kNotificationRulesKey, wanted.rules->toJson());
            !stored)
            return QCoreApplication::translate("SettingsDialog", "Could not store the notification rules: %1.")
                .arg(storageErrorShortText(stored.error()));
    }
    return {};
}

bool notificationRulesPerDesktop(const StorageGateway &storage) { return storage.isPostgres(); }

void readNotificationRules(
    StorageGateway &storage, QObject *receiver, std::function<void(const StorageResult<QString> &)> done)
{
    if (!notificationRulesPerDesktop(storage)) {
        storage.read(
            [](StorageBackend &backend) { return backend.appState(kNotificationRulesKey); }, receiver, std::move(done));
        return;
    }
    const QString rules = QSettings().value(desktopRulesKey(storage)).toString();
    QMetaObject::invokeMethod(
        receiver, [rules, done = std::move(done)]() { done(StorageResult<QString>(rules)); }, Qt::QueuedConnection);
}

void storeDesktopNotificationRules(const StorageGateway &storage, const NotificationRules &rules)
{
    QSettings().setValue(desktopRulesKey(storage), rules.toJson());
}

} // namespace faultline
