#include "storage/postgres/pg_transaction.h"

#include "storage/postgres/pg_rows_statement.h"

#include <algorithm>

namespace faultline {

PgStatus lockIssuesInOrder(
    PgConnection &connection, const QList<qint64> &issueIds, QList<qint64> *present, IssueRowLock mode)
{
    QList<qint64> ids = issueIds;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.isEmpty())
        return PgDone {};
    const QString strength = mode == IssueRowLock::ForUpdate ? QStringLiteral("UPDATE") : QStringLiteral("KEY SHARE");
    const auto locked = connection.exec(
        QStringLiteral("SELECT id FROM issues WHERE id = ANY($1::bigint[]) ORDER BY id FOR %1").arg(strength),
        { pgIntegerArray(ids) });
    if (!locked)
        return locked.error();
    if (present) {
        present->clear();
        for (int row = 0; row < locked->rowCount(); ++row)
            present->append(locked->int64(row, 0));
    } else if (locked->rowCount() != ids.size())
        return PgError { PgError::Kind::Conflict, {}, QStringLiteral("an issue was deleted meanwhile") };
    return PgDone {};
}

PgError pgRefusal(const QString &why) { return PgError { PgError::Kind::Query, {}, why }; }

} // namespace faultline
