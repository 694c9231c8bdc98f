#pragma once
// What an issue's events add up to, read from the counters the writer keeps
// (issue_facets, migration v8): the tag distribution, users affected, events
// per release, and the releases it was first and last seen in. The cost
// grows with the number of distinct values, not with the number of events.
#include <QHash>
#include <QList>
#include <QString>

namespace faultline {

class Database;

struct TagValueCount {
    QString value;
    qint64 events = 0;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
};

// One tag key of an issue: its most frequent values, most frequent first.
struct TagDistribution {
    QString key; // "release", "environment", "user", "browser", or a custom tag's key
    bool derived = false; // from the event's fields (model/derived_tags.h), not its `tags`
    qint64 events = 0; // events that carry the key
    qint64 distinctValues = 0;
    QList<TagValueCount> top;
};

struct IssueSummary {
    qint64 issueId = 0;
    qint64 users = 0; // distinct values of the `user` tag
    QList<TagValueCount> releases; // every release, oldest first seen first
    QString firstRelease; // of the issue's first event (as far as the counters know)
    QString lastRelease; // of its latest event
    // release, environment, then the derived tags, then custom tags by key.
    // User identities (user.id, user.email…) are searched, not listed.
    QList<TagDistribution> tags;

    const TagDistribution *tag(const QString &key) const;
};

// The few facts the issue list and `faultline issues --json` add per issue.
struct IssueBrief {
    qint64 users = 0;
    QString firstRelease;
    QString lastRelease;
};

// The summary of issue `issueId` from its counters (issue_facets rows by key:
// value, events, first and last seen), on every backend.
IssueSummary summarizeFacets(qint64 issueId, QHash<QString, QList<TagValueCount>> byKey, int topValues);

class IssueSummaryQueries {
public:
    explicit IssueSummaryQueries(Database &db)
        : m_db(db)
    {
    }

    // On a database error: an empty summary, and *error set.
    IssueSummary summary(qint64 issueId, int topValues = 10, QString *error = nullptr) const;
    // Three index lookups per issue, whatever its event count.
    QHash<qint64, IssueBrief> briefs(const QList<qint64> &issueIds, QString *error = nullptr) const;

private:
    Database &m_db;
};

} // namespace faultline
