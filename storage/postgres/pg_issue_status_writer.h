#pragma once
// Resolve / ignore / unresolve on PostgreSQL (#18): IssueStatusChanger
// (storage/store_readers.h) with the conditions of storage/issue_status.h,
// in one transaction that locks the issues' rows (FOR UPDATE), so a change
// from one desktop and a batch from a collector never lose each other's update.
#include "storage/store_readers.h"

namespace faultline {

class PgConnection;

class PgIssueStatusWriter : public IssueStatusChanger {
public:
    explicit PgIssueStatusWriter(PgConnection &connection)
        : m_connection(connection)
    {
    }

    int apply(const QList<qint64> &issueIds, const StatusChange &change, qint64 nowMs, QList<IssueStatusState> *before,
        QString *error) override;
    int restore(const QList<IssueStatusState> &states, QString *error) override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
