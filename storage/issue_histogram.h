#pragma once
// How an issue's events spread over time (the detail header's histogram and
// the issue list's 24-hour trend), and which releases and environments its
// events came from. Reads events(issue_id, received_ms) through its index.
#include <QHash>
#include <QList>
#include <QString>

namespace faultline {

class Database;

// `buckets` consecutive intervals of `bucketMs` starting at `startMs`.
struct HistogramRange {
    qint64 startMs = 0;
    qint64 bucketMs = 3'600'000;
    int buckets = 24;

    static constexpr qint64 kHourMs = 3'600'000;
    static constexpr qint64 kDayMs = 24 * kHourMs;

    qint64 endMs() const { return startMs + bucketMs * buckets; } // exclusive
    // The last `hours` whole hours, the current (partial) one last.
    static HistogramRange lastHours(qint64 nowMs, int hours = 24);
    // The last `days` days (UTC), today last.
    static HistogramRange lastDays(qint64 nowMs, int days = 30);
    // Hourly over the last day for an issue younger than a day, daily over 30 days otherwise.
    static HistogramRange forIssue(qint64 firstSeenMs, qint64 nowMs);

    friend bool operator==(const HistogramRange &, const HistogramRange &) = default;
};

struct Histogram {
    HistogramRange range;
    QList<qint64> counts; // one per bucket, oldest first

    qint64 total() const;
    qint64 peak() const;
};

// One release or environment an issue's events carried.
struct FacetValue {
    QString value;
    qint64 events = 0;
    qint64 lastSeenMs = 0;
};

struct IssueFacets {
    QList<FacetValue> releases; // most recently seen first
    QList<FacetValue> environments; // most recently seen first
};

class IssueHistogramQueries {
public:
    explicit IssueHistogramQueries(Database &db)
        : m_db(db)
    {
    }

    // On a database error: zero counts, and *error set.
    Histogram forIssue(qint64 issueId, const HistogramRange &range, QString *error = nullptr) const;
    // One query for many issues (a page of the issue list). Every id asked for
    // gets an entry, zeros when it had no events in the range.
    QHash<qint64, QList<qint64>> forIssues(
        const QList<qint64> &issueIds, const HistogramRange &range, QString *error = nullptr) const;
    // Non-empty releases and environments of the issue's events, at most `limit` of each.
    IssueFacets facets(qint64 issueId, int limit = 20, QString *error = nullptr) const;

private:
    Database &m_db;
};

} // namespace faultline
