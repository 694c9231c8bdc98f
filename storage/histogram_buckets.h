#pragma once
// Filling an issue's histogram and the issue list's trends from the rows of a
// "bucket, count" query: the one rule both backends' readers follow
// (SQLite: storage/issue_histogram.cpp; PostgreSQL: storage/postgres/pg_issue_*.cpp).
// Every bucket and every issue asked for is in the answer, zero when nothing was
// counted; a row outside the range (a clock that moved) is ignored.
#include "storage/issue_histogram.h"

#include <QHash>
#include <QList>

namespace faultline {

// No bucket to count into: nothing to read.
bool hasNoBuckets(const HistogramRange &range);

Histogram zeroHistogram(const HistogramRange &range);
void setBucketCount(Histogram &histogram, qint64 bucket, qint64 count);

// One zero-filled bucket list per issue id.
QHash<qint64, QList<qint64>> zeroTrends(const QList<qint64> &issueIds, const HistogramRange &range);
// Ids not asked for are ignored too.
void setTrendCount(
    QHash<qint64, QList<qint64>> &trends, const HistogramRange &range, qint64 issueId, qint64 bucket, qint64 count);

} // namespace faultline
