#pragma once
// Which issue each new event of a PostgreSQL batch belongs to, and the
// issues' rows brought up to date, inside the batch's transaction, in two
// phases around the writing of the events:
// - assign(): grouping keys looked up (with secondary grouping through the v1
//   key, as BatchWriter does for SQLite), the known issues share-locked, new
//   fingerprints' issues created with their counters (one another writer
//   created meanwhile is known from then on), new keys recorded;
// - settle(), the batch's last step: the known issues locked for update in id
//   order, their workflow conditions evaluated event by event
//   (storage/issue_status.h: regression, ignore for a while / until N events /
//   until escalating) and their rows written.
// Only settle() holds other writers up (their batches touch the same issues),
// so several writers' events, tags and words are written side by side.
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

    // One entry per event of `events`, in order, with its issue and key; the
    // workflow's flags wait for settle(). Runs inside an open transaction.
    PgResult<QList<ResolvedEvent>> assign(const QList<const IncomingEvent *> &events);
    // After the events of assign() are written (`eventRows`, theirs in the same
    // order; the escalation window counts the stored events without them):
    // sets each event's regression and escalation, writes the known issues.
    PgStatus settle(QList<ResolvedEvent> &resolved, const QList<qint64> &eventRows);

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
    // A fingerprint no key knows yet: its issue is created, or, when another
    // writer created it meanwhile, becomes a known issue of this batch.
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
    PgStatus shareKnownIssues();
    PgStatus confirmKeysStayed();
    PgStatus lockKnownIssues();
    PgStatus evaluate(
        qint64 issueId, const IncomingEvent &incoming, const QList<qint64> &eventRows, ResolvedEvent *resolved);
    PgStatus updateKnownIssues();
    PgStatus createNewIssues();
    PgStatus shareIssuesMadeElsewhere(const QList<KeyRef> &keys);
    PgStatus recordKeys();

    PgConnection &m_connection;
    QList<const IncomingEvent *> m_events; // assign()'s, for settle()
    QList<qint64> m_knownIssueOfEvent; // per event: its known issue, 0 for a new fingerprint's
    QHash<KeyRef, Known> m_known;
    QHash<qint64, Touched> m_touched;
    QHash<KeyRef, NewGroup> m_groups;
    QHash<KeyRef, KeyToRecord> m_keysToRecord; // key → the issue it leads to is decided later
    QHash<KeyRef, qint64> m_linkTargets; // key → issue, for keys linked through the v1 key
};

} // namespace faultline
