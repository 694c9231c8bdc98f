#include "storage/issue_queries.h"

#include "storage/database.h"
#include "storage/issue_status.h"
#include "storage/query_sql.h"
#include "storage/statement.h"

#include <QDateTime>

namespace faultline {

const QString kIssueColumnsSql = QStringLiteral(
    "issues.id, issues.project_id, issues.title, issues.culprit, issues.level, issues.status, issues.regressed, "
    "issues.count, issues.first_seen_ms, issues.last_seen_ms, issues.substatus, issues.resolved_after_release, "
    "issues.ignore_until_ms, issues.ignore_until_count, issues.ignore_baseline, issues.unhandled");

qint64 nowOrClock(qint64 nowMs) { return nowMs > 0 ? nowMs : QDateTime::currentMSecsSinceEpoch(); }

QString issueOrderSql(IssueSort sort)
{
    // id breaks ties so that pages never overlap or skip.
    switch (sort) {
    case IssueSort::FirstSeen:
        return QStringLiteral("issues.first_seen_ms DESC, issues.id DESC");
    case IssueSort::Count:
        return QStringLiteral("issues.count DESC, issues.id DESC");
    case IssueSort::LastSeen:
        break;
    }
    return QStringLiteral("issues.last_seen_ms DESC, issues.id DESC");
}

namespace {

IssueRow readIssue(const Statement &s, qint64 nowMs)
{
    IssueRow issue { s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.int64(6) != 0, s.int64(7),
        s.int64(8), s.int64(9), s.text(10), s.text(11), s.int64(12), s.int64(13), s.int64(14), s.int64(15) != 0 };
    issue.status = effectiveStatus(issue, nowOrClock(nowMs));
    return issue;
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

QString issueStatusName(IssueStatus status)
{
    switch (status) {
    case IssueStatus::Unresolved:
        return QStringLiteral("unresolved");
    case IssueStatus::Resolved:
        return QStringLiteral("resolved");
    case IssueStatus::Ignored:
        return QStringLiteral("ignored");
    }
    return QStringLiteral("unresolved");
}

QList<IssueRow> IssueQueries::list(const IssueListRequest &request, QString *error) const
{
    const SqlFilter filter = issueFilterSql(request.query, nowOrClock(request.nowMs));
    const QString sql = QStringLiteral("SELECT %1 FROM issues WHERE %2 ORDER BY %3 LIMIT ? OFFSET ?")
                            .arg(kIssueColumnsSql, filter.where, issueOrderSql(request.sort));
    Statement select(m_db.handle(), sql);
    select.bindAll(filter.values);
    select.bind(int(filter.values.size()) + 1, request.limit > 0 ? qint64(request.limit) : qint64(-1));
    select.bind(int(filter.values.size()) + 2, qint64(std::max(0, request.offset)));
    QList<IssueRow> rows;
    while (select.step())
        rows.append(readIssue(select, request.nowMs));
    if (!select.error().isEmpty()) {
        setError(error, select.error());
        return {};
    }
    return rows;
}

qint64 IssueQueries::count(const Query &query, qint64 nowMs, QString *error) const
{
    const SqlFilter filter = issueFilterSql(query, nowOrClock(nowMs));
    Statement select(m_db.handle(), QStringLiteral("SELECT count(*) FROM issues WHERE %1").arg(filter.where));
    select.bindAll(filter.values);
    if (select.step())
        return select.int64(0);
    setError(error, select.error());
    return 0;
}

QString issueReadFailure(const StorageError &error, qint64 issueId)
{
    if (error.kind == StorageError::Kind::NotFound)
        return QStringLiteral("no issue %1").arg(issueId);
    return QStringLiteral("reading issue %1 failed: %2").arg(issueId).arg(storageErrorText(error));
}

StorageResult<IssueRow> IssueQueries::byId(qint64 id) const
{
    Statement select(m_db.handle(), QStringLiteral("SELECT %1 FROM issues WHERE id = ?").arg(kIssueColumnsSql));
    select.bind(1, id);
    if (select.step())
        return readIssue(select, 0);
    return select.noRow(QStringLiteral("issue %1").arg(id));
}

QString IssueQueries::fingerprint(qint64 id) const
{
    Statement select(m_db.handle(), QStringLiteral("SELECT fingerprint FROM issues WHERE id = ?"));
    select.bind(1, id);
    return select.step() ? select.text(0) : QString();
}

int IssueQueries::setStatus(const QList<qint64> &issueIds, IssueStatus status, QString *error)
{
    StatusChange change;
    change.status = status;
    return IssueStatusWriter(m_db).apply(issueIds, change, QDateTime::currentMSecsSinceEpoch(), nullptr, error);
}

QHash<qint64, qint64> IssueQueries::unresolvedCountsByProject(qint64 nowMs, QString *error) const
{
    QHash<qint64, qint64> counts;
    Statement select(m_db.handle(),
        QStringLiteral("SELECT project_id, count(*) FROM issues WHERE status = 'unresolved' OR (status = 'ignored' "
                       "AND ignore_until_ms BETWEEN 1 AND ?) GROUP BY project_id"));
    select.bind(1, nowOrClock(nowMs));
    while (select.step())
        counts.insert(select.int64(0), select.int64(1));
    if (error && !select.error().isEmpty())
        *error = select.error();
    return counts;
}

} // namespace faultline
