#include "storage/app_state.h"

#include "storage/database.h"
#include "storage/statement.h"

namespace faultline {

QString readAppState(const Database &db, const QString &key)
{
    Statement select(db.handle(), QStringLiteral("SELECT value FROM app_state WHERE key = ?"));
    select.bind(1, key);
    return select.step() ? select.text(0) : QString();
}

bool writeAppState(Database &db, const QString &key, const QString &value, QString *error)
{
    Statement upsert(db.handle(),
        QStringLiteral("INSERT INTO app_state(key, value) VALUES(?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    upsert.bindAll({ key, value });
    if (upsert.exec())
        return true;
    if (error)
        *error = upsert.error();
    return false;
}

} // namespace faultline
