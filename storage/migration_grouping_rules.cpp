#include "storage/migration_grouping_rules.h"

namespace faultline {

// v19: merges and splits that stick (#13). The rule itself is where the keys
// point: a merge moves the merged issues' grouping_keys rows to the issue that
// survives (linked_by 'merge'), a split moves one key to a new issue
// (linked_by 'split'), so the writer sends later events with those keys there
// and a re-grouping that looks keys up first keeps them. These tables remember
// what was done, for the project's list of rules and for removing one:
// `issue_id` is the issue the keys went to (the survivor, the new issue),
// `from_issue_id` the one a split took them from; `grouping_rule_keys` the
// hashes that moved. `description` names the issues as they were then.
const char *const kGroupingRulesMigration = R"sql(
CREATE TABLE grouping_rules(
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    issue_id INTEGER REFERENCES issues(id) ON DELETE SET NULL,
    from_issue_id INTEGER REFERENCES issues(id) ON DELETE SET NULL,
    description TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL
);
CREATE INDEX grouping_rules_by_project ON grouping_rules(project_id);
CREATE TABLE grouping_rule_keys(
    rule_id INTEGER NOT NULL REFERENCES grouping_rules(id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    PRIMARY KEY(rule_id, hash)
) WITHOUT ROWID;
)sql";

} // namespace faultline
