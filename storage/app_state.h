#pragma once
// Key/value facts the running app publishes in the database for readers such
// as the CLI (e.g. "collector_address": where DSNs must point).
#include <QString>

namespace faultline {

class Database;

inline const QString kCollectorAddressKey = QStringLiteral("collector_address");

QString readAppState(const Database &db, const QString &key);
bool writeAppState(Database &db, const QString &key, const QString &value, QString *error = nullptr);

}  // namespace faultline
