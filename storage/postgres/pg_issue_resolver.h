#pragma once
// Which issue each new event of a PostgreSQL batch belongs to, and the
// issues' rows brought up to date, inside the batch's transaction: grouping
// keys looked up (with secondary grouping through the v1 key, as
// BatchWriter does for SQLite), known issues locked in id order and their
// workflow conditions evaluated event by event (storage/issue_status.h:
// regression, ignore for a while / until N events / until escalating),
// new fingerprints upserted with their counters, new keys recorded.
#include "model/issue_workflow.h"
#include "storage/incoming_event.h"
#include "storage/postgres/pg_connection.h"

#include <QHash>
#include <QList>
#include <QPair>

namespace faultline {

struct ResolvedEvent {
    qint64 issueId = 0;
    qint64 keyId = 0; // the grouping key the event was grouped by
    bool newIssue = false;
    bool regression = false;
    bool escalation = false;
};

class PgIssueResolver {
public:
    explicit PgIssueResolver(PgConnection &connection);

    // One entry per event of `events`, in order. Runs inside an open transaction.
    PgResult<QList<ResolvedEvent>> resolve(const QList<const IncomingEvent *> &events);

private:
    using KeyRef = QPair<qint64, QString>; // project, hash
    struct Known {
        qint64 keyId = 0;
        qint64 issueId = 0;
    };
    // A known issue as locked, and what this batch did to it.
    struct Touched {
        IssueWorkflow workflow;
        QString level;
        bool unhandled = false;
        int newEvents = 0;
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
        QString title;
        QString culprit;
        QList<qint64> receivedInBatch; // for the escalation window
    };
    // A fingerprint no key knows yet: its issue is created, or counted if
    // another writer created it meanwhile.
    struct NewGroup {
        const IncomingEvent *first = nullptr;
        const IncomingEvent *latest = nullptr;
        QString level;
        qint64 count = 0;
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
        bool unhandled = false;
        qint64 issueId = 0;
        bool created = false;
    };
    struct KeyToRecord {
        const IncomingEvent *incoming = nullptr;
        QString linkedBy;
    };

    PgStatus lookUpKeys(const QList<KeyRef> &keys);
    PgStatus lockKnownIssues();
    PgStatus confirmKeysStayed();
    PgStatus evaluate(qint64 issueId, const IncomingEvent &incoming, ResolvedEvent *resolved);
    PgStatus updateKnownIssues();
    PgStatus upsertNewGroups();
    PgStatus recordKeys();

    PgConnection &m_connection;
    QHash<KeyRef, Known> m_known;
    QHash<qint64, Touched> m_touched;
    QHash<KeyRef, NewGroup> m_groups;
    QHash<KeyRef, KeyToRecord> m_keysToRecord; // key → the issue it leads to is decided later
    QHash<KeyRef, qint64> m_linkTargets; // key → issue, for keys linked through the v1 key
};

} // namespace faultline
