#include "storage/postgres/pg_app_state.h"

namespace faultline {

bool pgAppStateDefault(PgConnection &connection, const QString &key, const QString &value, QString *error)
{
    const auto stored = connection.exec(
        QStringLiteral("INSERT INTO app_state(key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"),
        { PgParam::text(key), PgParam::text(value) });
    if (!stored && error)
        *error = stored.error().message;
    return bool(stored);
}

} // namespace faultline
