#pragma once
// Moving stored events from one issue to another (a split, a re-grouping),
// inside the caller's write transaction, keeping right what the writer keeps
// per issue: count, first and last seen, the latest event's title and
// culprit, the most severe level, and the issue_facets counters of the moved
// events (release, environment, tags, derived tags). Issues left without
// events are deleted, as retention does.
//
// Counters are moved event by event, so what retention already deleted
// stays counted where it was (the counters cover every event received; a
// merge, which moves whole issues, adds their counters up instead).
#include <QList>
#include <QSet>
#include <QString>

struct sqlite3;

namespace faultline {

struct EventMove {
    qint64 eventRow = 0; // events.id
    qint64 fromIssue = 0;
    qint64 toIssue = 0;
    qint64 keyId = 0; // the grouping key it is grouped by from now on; 0 = unchanged
};

class EventMover {
public:
    explicit EventMover(sqlite3 *db)
        : m_db(db)
    {
    }

    // `freshIssues`: issues made for these events (their first title and
    // culprit are their earliest event's). *deleted gets the issues left empty.
    bool move(const QList<EventMove> &moves, const QSet<qint64> &freshIssues, QList<qint64> *deleted, QString *error);

    // A new issue of `likeIssue`'s project and status, without events yet
    // (move() counts them): what a split or a re-grouping moves events into.
    qint64 createIssue(
        qint64 likeIssue, const QString &fingerprint, const QString &title, const QString &culprit, QString *error);

    // Keeps issues.fingerprint (UNIQUE per project) one of the issue's own
    // key hashes: after a key moved away, its old issue is renamed
    // "issue:ID", so an issue made later for that hash does not collide.
    bool releaseFingerprint(qint64 issueId, QString *error);

private:
    bool refreshIssue(qint64 issueId, bool fresh, bool *empty, QString *error);

    sqlite3 *m_db;
};

} // namespace faultline
