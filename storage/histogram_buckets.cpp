#include "storage/histogram_buckets.h"

#include <algorithm>

namespace faultline {

bool hasNoBuckets(const HistogramRange &range) { return range.buckets <= 0 || range.bucketMs <= 0; }

Histogram zeroHistogram(const HistogramRange &range) { return { range, QList<qint64>(std::max(0, range.buckets), 0) }; }

void setBucketCount(Histogram &histogram, qint64 bucket, qint64 count)
{
    if (bucket >= 0 && bucket < histogram.range.buckets)
        histogram.counts[bucket] = count;
}

QHash<qint64, QList<qint64>> zeroTrends(const QList<qint64> &issueIds, const HistogramRange &range)
{
    QHash<qint64, QList<qint64>> trends;
    trends.reserve(issueIds.size());
    const QList<qint64> zeros = zeroHistogram(range).counts; // shared until a count is set
    for (qint64 id : issueIds)
        trends.insert(id, zeros);
    return trends;
}

void setTrendCount(
    QHash<qint64, QList<qint64>> &trends, const HistogramRange &range, qint64 issueId, qint64 bucket, qint64 count)
{
    const auto it = trends.find(issueId);
    if (it != trends.end() && bucket >= 0 && bucket < range.buckets)
        (*it)[bucket] = count;
}

} // namespace faultline
