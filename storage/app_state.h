#pragma once
// Key/value facts the running app publishes in the database for readers such
// as the CLI (e.g. "collector_address": where DSNs must point).
#include <QString>

namespace faultline {

class Database;

inline const QString kCollectorAddressKey = QStringLiteral("collector_address");
// JSON of model/notification_rules.h: which issues notify, for every window on this database.
inline const QString kNotificationRulesKey = QStringLiteral("notification_rules");

QString readAppState(const Database &db, const QString &key);
bool writeAppState(Database &db, const QString &key, const QString &value, QString *error = nullptr);

} // namespace faultline
