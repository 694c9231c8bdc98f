#pragma once
// The words the batch writer adds to issue_words (PostgreSQL's migration 25)
// for the events it stores: worked out here when the text is ASCII
// (PgEventWords), by the server otherwise, and only those this writer has
// not added to that issue before. An error that repeats its text costs one
// hash lookup; one that brings a new word sends that word alone. What was
// added is known only once the batch committed: a rolled-back batch's words
// are sent again with the retry. The memory of what was added is bounded: past
// kMaxKnown keys it starts again, and the server skips what it already has.
// Keys are 64-bit hashes: text crafted to collide with a word this issue has
// could keep its own word out of the issue's words (that event is then not
// found by that word in the issue list); nothing else is lost.
#include "storage/event_columns.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_event_words.h"

#include <QList>

#include <unordered_set>

namespace faultline {

class PgIssueWords {
public:
    // A new batch: nothing collected.
    void startBatch();
    // What the batch's event, stored as row `eventRow` into `issueId`, brings.
    void add(const EventColumns &columns, qint64 eventRow, qint64 issueId);
    // add_issue_words() for what was collected, inside the batch's transaction.
    PgStatus write(PgConnection &connection) const;
    // The batch committed: its words are known from now on.
    void committed();

    static constexpr size_t kMaxKnown = size_t(1) << 19;

private:
    bool isNew(quint64 key);

    PgEventWords m_eventWords; // one event's, the buffer reused
    std::unordered_set<quint64> m_known; // (issue, word) and (issue, text) keys, committed
    std::unordered_set<quint64> m_batchKeys; // this batch's, added once it commits
    QList<qint64> m_issues; // with m_words: the pairs to add
    QStringList m_words;
    QList<qint64> m_serverRows; // with m_serverReceived: the events the server reads the words of
    QList<qint64> m_serverReceived;
};

} // namespace faultline
