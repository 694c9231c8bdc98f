#include "storage/grouping_queries.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

namespace {

const char *const keyColumns = "k.id, k.issue_id, k.hash, k.strategy, k.linked_by, k.explanation";

StoredGroupingKey readKey(const Statement &select)
{
    StoredGroupingKey key;
    key.id = select.int64(0);
    key.issueId = select.int64(1);
    key.hash = select.text(2);
    key.strategy = select.text(3);
    key.linkedBy = select.text(4);
    const QByteArray json = select.text(5).toUtf8();
    if (!json.isEmpty())
        key.explanation = groupingExplanationFromJson(QJsonDocument::fromJson(json).object());
    if (key.explanation.strategy.isEmpty())
        key.explanation.strategy = key.strategy;
    return key;
}

} // namespace

std::optional<StoredGroupingKey> GroupingQueries::forEvent(qint64 eventRow, QString *error) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT %1 FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id WHERE e.id = ?")
            .arg(QLatin1String(keyColumns)));
    select.bind(1, eventRow);
    if (select.step())
        return readKey(select);
    if (error && !select.error().isEmpty())
        *error = select.error();
    return std::nullopt;
}

QList<StoredGroupingKey> GroupingQueries::forIssue(qint64 issueId) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT %1 FROM grouping_keys k WHERE k.issue_id = ? ORDER BY k.id")
            .arg(QLatin1String(keyColumns)));
    select.bind(1, issueId);
    QList<StoredGroupingKey> keys;
    while (select.step())
        keys.append(readKey(select));
    return keys;
}

} // namespace faultline
