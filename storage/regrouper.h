#pragma once
// Re-grouping a project under the current strategy, on demand (#13): every
// stored event's key is computed again from its stored JSON, and the event
// goes to the issue that key leads to. Without blocking the collector: the
// keys are computed outside any transaction, then applied in short
// transactions (a few hundred events) with a pause after each, as retention
// does, so the writer's batches interleave.
//
// Where an event goes, in order:
//  1. the issue its new key already leads to (grouping_keys): merges and
//     splits stick, since they are where keys point;
//  2. when the key is new and the event reached its issue by a rule (its key
//     was merged in or split off), that issue: the new key is linked to it the
//     same way and added to the rule, so removing the rule takes it along;
//  3. when the key is new and its issue has no key of the current strategy
//     yet, that issue, which takes the key ("claims" it: an issue keeps its
//     identity, status and history where it can);
//  4. else a new issue with the old one's status: the old strategy had put
//     two bugs together.
// Issues left without events are deleted. Events that arrive meanwhile are
// grouped by the writer under the current strategy already.
#include "model/grouping.h"

#include <QMetaType>
#include <QString>

#include <functional>

namespace faultline {

class Database;

// What a run works with on either backend (regrouper.cpp, postgres/pg_regrouper.cpp).
namespace regrouping {
// An event and the key it gets now.
struct Regrouped {
    qint64 row = 0;
    IssueKey key;
};
// A grouping key as stored, and the issue it leads to.
struct StoredKey {
    qint64 id = 0;
    qint64 issueId = 0;
};
} // namespace regrouping

struct RegroupReport {
    qint64 events = 0; // events looked at
    qint64 moved = 0; // now in another issue
    qint64 newIssues = 0;
    qint64 issuesDeleted = 0; // left without events
    qint64 unreadable = 0; // stored JSON that no longer parses: left where they were
    bool cancelled = false;
    QString error; // empty when every step succeeded; committed steps stay
};

// Called after each committed step; return false to cancel.
using RegroupProgress = std::function<bool(qint64 done, qint64 total)>;

class Regrouper {
public:
    // `db`: a read-write connection of its own (not the writer's).
    explicit Regrouper(Database &db, int eventsPerTransaction = 250);

    RegroupReport run(qint64 projectId, const RegroupProgress &progress = {});

private:
    Database &m_db;
    int m_step;
};

} // namespace faultline

Q_DECLARE_METATYPE(faultline::RegroupReport)
