#pragma once
// Merge and split that stick (#13), one code path for the window, the CLI and
// MCP. The rule is where the grouping keys point (grouping_keys, migration
// v13): a merge moves the merged issues' keys to the issue that survives, a
// split moves one key of an issue to a new one, each with the events grouped
// by it, so the writer sends every later event with those keys there. What
// was done is remembered (grouping_rules, v19) to be listed per project and
// removed: removing a merge splits the keys it brought back out into an issue
// of their own (with their events), removing a split moves the key back into
// the issue it came from when that still exists.
//
// Which issue survives a merge: the one given (`--into`), else the one with
// the most events, the first given on a tie (as Sentry keeps the largest).
#include "storage/grouping_queries.h"
#include "storage/issue_queries.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace faultline {

class Database;

struct GroupingRule {
    qint64 id = 0;
    qint64 projectId = 0;
    QString kind; // "merge" | "split"
    qint64 issueId = 0; // where the keys went (the survivor, the new issue); 0 once deleted
    qint64 fromIssueId = 0; // split: where they came from; 0 for a merge or once deleted
    QStringList hashes; // the keys it moved
    QString description; // "Merged #12 “…” into #7 “…”", as the issues were then
    qint64 createdMs = 0;
};

struct MergeOutcome {
    qint64 ruleId = 0;
    qint64 survivorId = 0;
    QList<qint64> mergedIds; // deleted, their events and keys now the survivor's
    qint64 eventsMoved = 0;
};

struct SplitOutcome {
    qint64 ruleId = 0;
    qint64 newIssueId = 0;
    qint64 eventsMoved = 0;
};

// The issue a merge of `issues` keeps (see above); 0 when `into` is given but not among them.
qint64 mergeSurvivor(const QList<IssueRow> &issues, qint64 into = 0);

// What a merge makes of its issues, worked out alike for every backend
// (the SQLite one here, PostgreSQL's in storage/postgres/pg_issue_merger.h):
// the survivor's row after it, and the issues that go.
struct MergePlan {
    IssueRow survivor; // counters added up, first/last seen, most severe level, the latest issue's title
    qint64 earliestId = 0; // whose first title and culprit the survivor keeps
    QList<qint64> mergedIds; // the others, in the order given
    QString description; // the rule's
};

// The issues `issueIds` name (duplicates dropped), read through `byId`,
// refused (nullopt, *error) when fewer than two, unknown or of several projects.
std::optional<QList<IssueRow>> issuesToMerge(
    const QList<qint64> &issueIds, const std::function<StorageResult<IssueRow>(qint64)> &byId, QString *error);
// nullopt and *error when `into` is given but not among `issues`.
std::optional<MergePlan> planMerge(const QList<IssueRow> &issues, qint64 into, QString *error);
// The key of `keys` (the issue's, oldest first) that `hash` names, or an
// unambiguous prefix of (7+ characters), when a split may take it: not the
// issue's only key, and not one that all or none of its events were grouped by.
std::optional<StoredGroupingKey> keyToSplit(const IssueRow &issue, const QString &hash,
    const QList<StoredGroupingKey> &keys, const QHash<qint64, qint64> &eventsPerKey, QString *error);
// The description of the rule a split of `hash` off `from` into a new issue leaves.
QString splitDescription(qint64 newIssueId, const QString &hash, const IssueRow &from);

class GroupingRules {
public:
    explicit GroupingRules(Database &db)
        : m_db(db)
    {
    }

    // Everything in one transaction; nullopt and *error when nothing was done
    // (fewer than two issues, unknown ids, different projects).
    std::optional<MergeOutcome> merge(const QList<qint64> &issueIds, qint64 into, qint64 nowMs, QString *error);
    // `hash`: a key of the issue, or an unambiguous prefix of one (7+ characters).
    // Refused when it is the issue's only key or would take all its events.
    std::optional<SplitOutcome> split(qint64 issueId, const QString &hash, qint64 nowMs, QString *error);
    // Undoes the rule for future events (see above); *done says what happened.
    bool remove(qint64 ruleId, QString *done, QString *error);

    // Newest first.
    QList<GroupingRule> forProject(qint64 projectId, QString *error = nullptr) const;
    // Events stored per key of the issue (keys without any are left out).
    QHash<qint64, qint64> eventsPerKey(qint64 issueId, QString *error = nullptr) const;

private:
    // Moves the keys `hashes` of `fromIssue` with their events to `toIssue`
    // (0: a new issue, returned in *toIssue). Inside a transaction.
    bool moveKeys(qint64 fromIssue, const QStringList &hashes, const QString &linkedBy, qint64 *toIssue,
        qint64 *eventsMoved, QString *error);
    qint64 insertRule(const GroupingRule &rule, QString *error);

    Database &m_db;
};

} // namespace faultline
