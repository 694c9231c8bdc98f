#pragma once
// The transaction discipline of every PostgreSQL write that changes issues
// beside the collectors (merges, splits, rule removals, re-grouping; #18):
// the issues' rows locked first, in id order, as the collectors' batches lock
// them (pg_issue_resolver.h), so the two queue instead of deadlocking; a
// conflict the server breaks up (deadlock, serialization) rolls back and runs
// the work again.
#include "storage/postgres/pg_connection.h"

#include <QList>
#include <QString>

namespace faultline {

// How a row is locked: FOR UPDATE to change or delete it (merges, splits,
// retention), FOR KEY SHARE to keep it there while events are added to it (a
// batch's first hold, which neither other batches nor their updates wait for).
enum class IssueRowLock { ForUpdate, ForKeyShare };

// Locked until the transaction ends, in id order. A Conflict (retryable) when
// one of them is gone (deleted since the caller read its id), unless the
// caller asks which were there (`present`: it refuses unknown ids itself).
PgStatus lockIssuesInOrder(PgConnection &connection, const QList<qint64> &issueIds, QList<qint64> *present = nullptr,
    IssueRowLock mode = IssueRowLock::ForUpdate);

PgError pgRefusal(const QString &why); // a Query error: what the user asked for cannot be done

// Runs `work` (a callable taking PgError *, returning an optional) in one
// transaction: committed when it returns a value, rolled back when it
// returns nothing (its refusal or failure in the PgError), run again after a
// conflict, up to `attempts` times. *error (may be null) gets what ended it.
template<typename Work> auto inPgTransaction(PgConnection &connection, QString *error, Work work, int attempts = 3)
{
    for (int attempt = 1;; ++attempt) {
        PgError failure;
        decltype(work(&failure)) result;
        if (PgStatus begun = connection.begin(); !begun) {
            failure = begun.error();
        } else if ((result = work(&failure))) {
            const PgStatus committed = connection.commit();
            if (committed)
                return result;
            failure = committed.error();
            result.reset();
        }
        connection.rollback();
        if (!failure.isRetryable() || attempt >= attempts) {
            if (error)
                *error = failure.message;
            return result;
        }
    }
}

} // namespace faultline
