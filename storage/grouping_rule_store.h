#pragma once
// A project's grouping rules (the merges and splits of storage/grouping_rules.h)
// and its re-grouping (storage/regrouper.h), on either backend
// (storage/backend.h: groupingRules()): SqliteGroupingRuleStore in
// storage/sqlite_readers.h, PgGroupingRuleStore in storage/postgres/pg_grouping_rule_store.h.
// Merging and splitting, which make the rules, are IssueMerger's.
#include "storage/grouping_rules.h"
#include "storage/regrouper.h"

#include <QList>
#include <QString>

namespace faultline {

class GroupingRuleStore {
public:
    virtual ~GroupingRuleStore() = default;

    // Newest first. On a database error: empty and *error set.
    virtual QList<GroupingRule> forProject(qint64 projectId, QString *error) const = 0;
    // Undoes the rule for the events to come and takes its keys' events along;
    // *done says what happened. False and *error when nothing was done.
    virtual bool remove(qint64 ruleId, QString *done, QString *error) = 0;
    // Every stored event of the project grouped again under the current
    // strategy, in short transactions while collectors keep writing.
    // Needs Write or Create.
    virtual RegroupReport regroup(qint64 projectId, const RegroupProgress &progress) = 0;

protected:
    GroupingRuleStore() = default;
    GroupingRuleStore(const GroupingRuleStore &) = default;
    GroupingRuleStore &operator=(const GroupingRuleStore &) = default;
};

} // namespace faultline
