#pragma once
// The SQL half of EventWriter: writes one batch of events (and SDK loss
// counts) in one transaction with statements prepared once per connection.
// Runs on the writer thread only.
#include "model/issue_workflow.h"
#include "storage/event_writer.h"
#include "storage/facet_count.h"
#include "storage/incoming_event.h"
#include "storage/statement.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace faultline {

class Database;

struct BatchResult {
    bool committed = false;
    int sqliteCode = 0; // primary result code of the failure
    QString error;
    QList<WriteOutcome> outcomes; // one per event, in order, when committed
    BatchSummary summary;
};

class BatchWriter {
public:
    explicit BatchWriter(Database &db);

    // Everything or nothing: on failure the transaction is rolled back.
    // `indexSearch`: also add every event waiting for the search index (see
    // migration v6), these included, in the same transaction. With no events,
    // it brings the search index up to date in a transaction of its own.
    BatchResult write(
        const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards, bool indexSearch = true);

    // Failures that say nothing about a particular event (disk full, locked,
    // I/O): retrying the events one by one would fail the same way.
    static bool isEnvironmentalFailure(int sqliteCode);

private:
    // An issue touched by the batch: its row is updated once, at the end,
    // however many of the batch's events it got (a crash loop sends the same one).
    struct TouchedIssue {
        qint64 id = 0;
        QString title; // of the batch's latest event for it: issues show their latest
        QString culprit;
        IssueWorkflow workflow;
        QString level;
        bool unhandled = false;
        bool unhandledChanged = false;
        int newEvents = 0; // not yet counted in the row
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
    };

    // A grouping key known to lead to an issue (a grouping_keys row).
    struct KnownKey {
        qint64 keyId = 0;
        qint64 issueId = 0;
        // The issue's row when the key was looked up: what the workflow conditions need.
        IssueWorkflow workflow;
        QString level;
        bool unhandled = false;
    };
    using KeyRef = QPair<qint64, QString>; // project, hash

    bool prepare(QString *error);
    bool resolveIssue(
        const IncomingEvent &incoming, qint64 receivedMs, WriteOutcome *outcome, qint64 *keyId, QString *error);
    bool findKey(const KeyRef &key, std::optional<KnownKey> *found, QString *error);
    bool insertKey(
        const IncomingEvent &incoming, qint64 issueId, const QString &linkedBy, KnownKey *inserted, QString *error);
    bool evaluateStatus(
        TouchedIssue &issue, const Event &event, qint64 receivedMs, WriteOutcome *outcome, QString *error);
    bool createIssue(const IncomingEvent &incoming, qint64 receivedMs, qint64 *issueId, QString *error);
    bool updateTouchedIssues(QString *error);
    void countFacets(qint64 issueId, const EventColumns &columns);
    bool writeFacetCounts(QString *error);
    bool writeEvent(const IncomingEvent &incoming, WriteOutcome *outcome, QString *error);
    bool writeDiscard(const DiscardCount &discard, QString *error);
    bool indexPending(QString *error);

    Database &m_db;
    bool m_prepared = false;
    Statement m_findEvent;
    Statement m_findKey;
    Statement m_insertKey;
    Statement m_insertIssue;
    Statement m_updateIssue;
    Statement m_countRecent;
    Statement m_insertEvent;
    Statement m_insertTag;
    Statement m_upsertFacet;
    Statement m_insertBlob;
    Statement m_insertAttachment;
    Statement m_upsertDiscard;
    Statement m_markPending;
    Statement m_indexPending;
    Statement m_clearPending;

    // Per batch: grouping keys looked up, the issues they led to (by id), and
    // facet counts, written once per distinct value (a crash loop repeats the
    // same release and host).
    QHash<KeyRef, KnownKey> m_keys;
    QHash<qint64, TouchedIssue> m_touched;
    QHash<FacetKey, FacetCount> m_facetCounts;
};

} // namespace faultline
