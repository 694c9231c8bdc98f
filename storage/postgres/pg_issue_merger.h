#pragma once
// Merge and split on PostgreSQL (#18): IssueMerger (storage/store_readers.h)
// with the rules of storage/grouping_rules.h, each in one transaction that
// first locks the issues' rows in id order (FOR UPDATE), the order the
// collectors' batches lock them in (pg_issue_resolver.h). A batch holding
// one of them makes the merge wait, and the other way round; a batch that
// read a merged issue's key before the merge committed finds the issue gone
// when it locks, and is written again (a retryable conflict), into the survivor.
#include "storage/store_readers.h"

namespace faultline {

class PgConnection;

class PgIssueMerger : public IssueMerger {
public:
    explicit PgIssueMerger(PgConnection &connection)
        : m_connection(connection)
    {
    }

    std::optional<MergeOutcome> merge(
        const QList<qint64> &issueIds, qint64 into, qint64 nowMs, QString *error) override;
    std::optional<SplitOutcome> split(qint64 issueId, const QString &hash, qint64 nowMs, QString *error) override;
    QList<StoredGroupingKey> keys(qint64 issueId, QString *error) const override;
    QHash<qint64, qint64> eventsPerKey(qint64 issueId, QString *error) const override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
