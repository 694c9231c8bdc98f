#include "storage/issue_queries.h"

#include "storage/database.h"
#include "storage/query_sql.h"
#include "storage/statement.h"

#include <QDateTime>

namespace faultline {

namespace {

const QString kIssueColumns = QStringLiteral(
    "issues.id, issues.project_id, issues.title, issues.culprit, issues.level, issues.status, issues.regressed, "
    "issues.count, issues.first_seen_ms, issues.last_seen_ms");

IssueRow readIssue(const Statement &s)
{
    return IssueRow { s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.int64(6) != 0, s.int64(7),
        s.int64(8), s.int64(9) };
}

qint64 nowOr(qint64 nowMs) { return nowMs > 0 ? nowMs : QDateTime::currentMSecsSinceEpoch(); }

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
    const SqlFilter filter = issueFilterSql(request.query, nowOr(request.nowMs));
    QString order;
    switch (request.sort) {
    case IssueSort::LastSeen:
        order = QStringLiteral("issues.last_seen_ms DESC");
        break;
    case IssueSort::FirstSeen:
        order = QStringLiteral("issues.first_seen_ms DESC");
        break;
    case IssueSort::Count:
        order = QStringLiteral("issues.count DESC");
        break;
    }
    // id breaks ties so that pages never overlap or skip.
    const QString sql = QStringLiteral("SELECT %1 FROM issues WHERE %2 ORDER BY %3, issues.id DESC LIMIT ? OFFSET ?")
                            .arg(kIssueColumns, filter.where, order);
    Statement select(m_db.handle(), sql);
    select.bindAll(filter.values);
    select.bind(int(filter.values.size()) + 1, request.limit > 0 ? qint64(request.limit) : qint64(-1));
    select.bind(int(filter.values.size()) + 2, qint64(std::max(0, request.offset)));
    QList<IssueRow> rows;
    while (select.step())
        rows.append(readIssue(select));
    if (!select.error().isEmpty()) {
        setError(error, select.error());
        return {};
    }
    return rows;
}

qint64 IssueQueries::count(const Query &query, qint64 nowMs, QString *error) const
{
    const SqlFilter filter = issueFilterSql(query, nowOr(nowMs));
    Statement select(m_db.handle(), QStringLiteral("SELECT count(*) FROM issues WHERE %1").arg(filter.where));
    select.bindAll(filter.values);
    if (select.step())
        return select.int64(0);
    setError(error, select.error());
    return 0;
}

std::optional<IssueRow> IssueQueries::byId(qint64 id) const
{
    Statement select(m_db.handle(), QStringLiteral("SELECT %1 FROM issues WHERE id = ?").arg(kIssueColumns));
    select.bind(1, id);
    if (select.step())
        return readIssue(select);
    return std::nullopt;
}

QString IssueQueries::fingerprint(qint64 id) const
{
    Statement select(m_db.handle(), QStringLiteral("SELECT fingerprint FROM issues WHERE id = ?"));
    select.bind(1, id);
    return select.step() ? select.text(0) : QString();
}

int IssueQueries::setStatus(const QList<qint64> &issueIds, IssueStatus status, QString *error)
{
    sqlite3 *db = m_db.handle();
    QString failure;
    if (!execSql(db, "BEGIN IMMEDIATE", &failure)) {
        setError(error, failure);
        return -1;
    }
    Statement update(db,
        QStringLiteral(
            "UPDATE issues SET status = ?1, regressed = 0 WHERE id = ?2 AND (status <> ?1 OR regressed <> 0)"));
    int changed = 0;
    for (qint64 id : issueIds) {
        update.reset();
        update.bindAll({ issueStatusName(status), id });
        if (!update.exec()) {
            setError(error, update.error());
            execSql(db, "ROLLBACK");
            return -1;
        }
        changed += changedRows(db);
    }
    if (!execSql(db, "COMMIT", &failure)) {
        setError(error, failure);
        execSql(db, "ROLLBACK");
        return -1;
    }
    return changed;
}

QHash<qint64, qint64> IssueQueries::unresolvedCountsByProject() const
{
    QHash<qint64, qint64> counts;
    Statement select(m_db.handle(),
        QStringLiteral("SELECT project_id, count(*) FROM issues WHERE status = 'unresolved' GROUP BY project_id"));
    while (select.step())
        counts.insert(select.int64(0), select.int64(1));
    return counts;
}

} // namespace faultline
