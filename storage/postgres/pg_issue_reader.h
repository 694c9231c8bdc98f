#pragma once
// Issues on PostgreSQL (#18): IssueReader (storage/store_readers.h) with the
// search compiled in query_sql's PostgreSQL dialect, and the summary from
// the same counters (issue_facets) as on SQLite. What the window's lists read
// besides (trends, counts per project, news) is in pg_issue_list_reads.cpp.
#include "storage/store_readers.h"

namespace faultline {

class PgConnection;

class PgIssueReader : public IssueReader {
public:
    explicit PgIssueReader(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QList<IssueRow> list(const IssueListRequest &request, QString *error) const override;
    qint64 count(const Query &query, qint64 nowMs, QString *error) const override;
    StorageResult<IssueRow> byId(qint64 id) const override;
    QString fingerprint(qint64 id) const override;
    IssueSummary summary(qint64 issueId, int topValues, QString *error) const override;
    QHash<qint64, IssueBrief> briefs(const QList<qint64> &issueIds, QString *error) const override;

    QHash<qint64, QList<qint64>> trends(
        const QList<qint64> &issueIds, const HistogramRange &range, QString *error) const override;
    QHash<qint64, qint64> unresolvedCountsByProject(qint64 nowMs, QString *error) const override;
    StorageResult<AlertIssue> news(qint64 issueId) const override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
