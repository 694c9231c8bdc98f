#pragma once
// A project's grouping rules and its re-grouping on PostgreSQL (#18):
// GroupingRuleStore (storage/grouping_rule_store.h) with the semantics of
// SQLite's GroupingRules::remove and Regrouper, in transactions that lock the
// issues they change in id order first, as PgIssueMerger does
// (pg_transaction.h), so collectors writing into them meanwhile wait rather
// than lose an event or a count. Re-grouping: pg_regrouper.h.
#include "storage/grouping_rule_store.h"

namespace faultline {

class PgConnection;

class PgGroupingRuleStore : public GroupingRuleStore {
public:
    explicit PgGroupingRuleStore(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QList<GroupingRule> forProject(qint64 projectId, QString *error) const override;
    bool remove(qint64 ruleId, QString *done, QString *error) override;
    RegroupReport regroup(qint64 projectId, const RegroupProgress &progress) override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
