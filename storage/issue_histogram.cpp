#include "storage/issue_histogram.h"

#include "storage/database.h"
#include "storage/histogram_buckets.h"
#include "storage/statement.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace faultline {

namespace {

void setError(QString *error, const QString &message)
{
    if (error && !message.isEmpty())
        *error = message;
}

// Floor division that also holds for times before 1970.
qint64 floorTo(qint64 value, qint64 step) { return (value >= 0 ? value : value - step + 1) / step * step; }

// From the writer's counters (migration v8), not the events: an issue with
// 100,000 events has a handful of releases.
QList<FacetValue> readFacet(Database &db, const QString &key, qint64 issueId, int limit, QString *error)
{
    Statement select(db.handle(),
        QStringLiteral("SELECT value, events, last_seen_ms FROM issue_facets WHERE issue_id = ?1 AND key = ?2 "
                       "ORDER BY last_seen_ms DESC, value LIMIT ?3"));
    select.bindAll({ issueId, key, limit });
    QList<FacetValue> values;
    while (select.step())
        values.append(FacetValue { select.text(0), select.int64(1), select.int64(2) });
    setError(error, select.error());
    return values;
}

} // namespace

HistogramRange HistogramRange::lastHours(qint64 nowMs, int hours)
{
    hours = std::max(1, hours);
    return { floorTo(nowMs, kHourMs) - qint64(hours - 1) * kHourMs, kHourMs, hours };
}

HistogramRange HistogramRange::lastDays(qint64 nowMs, int days)
{
    days = std::max(1, days);
    return { floorTo(nowMs, kDayMs) - qint64(days - 1) * kDayMs, kDayMs, days };
}

HistogramRange HistogramRange::forIssue(qint64 firstSeenMs, qint64 nowMs)
{
    return nowMs - firstSeenMs < kDayMs ? lastHours(nowMs) : lastDays(nowMs);
}

qint64 Histogram::total() const
{
    qint64 sum = 0;
    for (qint64 count : counts)
        sum += count;
    return sum;
}

qint64 Histogram::peak() const { return counts.isEmpty() ? 0 : *std::max_element(counts.begin(), counts.end()); }

Histogram IssueHistogramQueries::forIssue(qint64 issueId, const HistogramRange &range, QString *error) const
{
    Histogram histogram = zeroHistogram(range);
    if (hasNoBuckets(range))
        return histogram;
    Statement select(m_db.handle(),
        QStringLiteral("SELECT (received_ms - ?2) / ?3, COUNT(*) FROM events "
                       "WHERE issue_id = ?1 AND received_ms >= ?2 AND received_ms < ?4 GROUP BY 1"));
    select.bindAll({ issueId, range.startMs, range.bucketMs, range.endMs() });
    while (select.step())
        setBucketCount(histogram, select.int64(0), select.int64(1));
    setError(error, select.error());
    return histogram;
}

QHash<qint64, QList<qint64>> IssueHistogramQueries::forIssues(
    const QList<qint64> &issueIds, const HistogramRange &range, QString *error) const
{
    QHash<qint64, QList<qint64>> result = zeroTrends(issueIds, range);
    if (issueIds.isEmpty() || hasNoBuckets(range))
        return result;
    // The ids travel as one bound JSON array, so the SQL text is the same for any page size.
    QJsonArray ids;
    for (qint64 id : issueIds)
        ids.append(id);
    Statement select(m_db.handle(),
        QStringLiteral("SELECT issue_id, (received_ms - ?2) / ?3, COUNT(*) FROM events "
                       "WHERE issue_id IN (SELECT value FROM json_each(?1)) AND received_ms >= ?2 AND received_ms < ?4 "
                       "GROUP BY 1, 2"));
    select.bindAll({ QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)), range.startMs,
        range.bucketMs, range.endMs() });
    while (select.step())
        setTrendCount(result, range, select.int64(0), select.int64(1), select.int64(2));
    setError(error, select.error());
    return result;
}

IssueFacets IssueHistogramQueries::facets(qint64 issueId, int limit, QString *error) const
{
    return { readFacet(m_db, QStringLiteral("release"), issueId, limit, error),
        readFacet(m_db, QStringLiteral("environment"), issueId, limit, error) };
}

} // namespace faultline
