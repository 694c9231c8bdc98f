#pragma once
// Read side of issues, for the issue list, the CLI and triage actions.
// Open the Database read-only for listing while the writer runs; setStatus
// needs a read-write one.
#include "model/query/query.h"
#include "storage/storage_error.h"

#include <QHash>
#include <QList>
#include <QString>

namespace faultline {

class Database;

struct IssueRow {
    qint64 id = 0;
    qint64 projectId = 0;
    QString title;
    QString culprit;
    QString level;
    QString status; // unresolved | resolved | ignored (an ignore whose time is up reads unresolved)
    bool regressed = false;
    qint64 count = 0;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    // The conditions of the status (see storage/issue_status.h).
    QString substatus; // '' | next_release | for | until_events | until_escalating | escalating
    QString resolvedAfterRelease;
    qint64 ignoreUntilMs = 0;
    qint64 ignoreUntilCount = 0;
    qint64 ignoreBaseline = 0;
    bool unhandled = false; // an event's exception mechanism said handled=false
};

enum class IssueSort { LastSeen, FirstSeen, Count }; // all newest/largest first

enum class IssueStatus { Unresolved, Resolved, Ignored };

struct IssueListRequest {
    Query query;
    IssueSort sort = IssueSort::LastSeen;
    int limit = 100; // 0 = all
    int offset = 0;
    qint64 nowMs = 0; // anchors age:/last_seen:; 0 = now
};

// The columns an IssueRow is read from, in its order: for every backend's SELECT over `issues`.
extern const QString kIssueColumnsSql;
// nowMs, or the clock when it is 0 (what IssueListRequest::nowMs means).
qint64 nowOrClock(qint64 nowMs);
// The ORDER BY of a sort, ties broken by id.
QString issueOrderSql(IssueSort sort);

// What to say when reading issue `issueId` failed: "no issue 12", or what stopped the read.
QString issueReadFailure(const StorageError &error, qint64 issueId);

class IssueQueries {
public:
    explicit IssueQueries(Database &db)
        : m_db(db)
    {
    }

    // On a database error: empty, and *error set.
    QList<IssueRow> list(const IssueListRequest &request, QString *error = nullptr) const;
    qint64 count(const Query &query, qint64 nowMs = 0, QString *error = nullptr) const;
    StorageResult<IssueRow> byId(qint64 id) const; // NotFound when there is none (issueReadFailure)
    // The grouping hash the issue was created under (see model/grouping.h); empty when there is no such issue.
    QString fingerprint(qint64 id) const;

    // Resolve / ignore / reopen for good (conditions: IssueStatusWriter). Any change clears
    // `regressed`: someone looked at it. Returns how many issues changed, -1 on error.
    int setStatus(const QList<qint64> &issueIds, IssueStatus status, QString *error = nullptr);

    // project id → number of unresolved issues (expired ignores included) (projects without any are absent).
    // nowMs 0 = the clock. On a database error: empty, and *error set.
    QHash<qint64, qint64> unresolvedCountsByProject(qint64 nowMs = 0, QString *error = nullptr) const;

private:
    Database &m_db;
};

QString issueStatusName(IssueStatus status);

} // namespace faultline
