#pragma once
// Read side of grouping: the key an event was grouped by with what counted
// and what was ignored, and the keys that lead to an issue.
#include "model/grouping_explanation.h"

#include <QList>
#include <QString>

#include <optional>

namespace faultline {

class Database;

struct StoredGroupingKey {
    qint64 id = 0;
    qint64 issueId = 0;
    QString hash;
    QString strategy; // "v1", "v2"
    // How the key came to its issue: "created" it, "v1" = an event's v1 key
    // named the issue (secondary grouping).
    QString linkedBy;
    // Empty parts for keys recorded before explanations were stored (v1 issues).
    GroupingExplanation explanation;
};

class GroupingQueries {
public:
    explicit GroupingQueries(Database &db)
        : m_db(db)
    {
    }

    // Nothing for events stored before keys were recorded.
    std::optional<StoredGroupingKey> forEvent(qint64 eventRow, QString *error = nullptr) const;
    // Oldest first: the key that created the issue, then those linked to it.
    QList<StoredGroupingKey> forIssue(qint64 issueId) const;

private:
    Database &m_db;
};

} // namespace faultline
