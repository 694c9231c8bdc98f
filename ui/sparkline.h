#pragma once
// Bars for event counts over time, painted by hand: the issue list's 24-hour
// trend column and the issue detail's histogram share this one painter.
#include <QColor>
#include <QList>
#include <QRectF>

class QPainter;

namespace faultline {

// One bar per count, scaled so the largest fills `rect`'s height; a count > 0
// is always at least a pixel tall, so a single event stays visible. Empty
// buckets get a faint baseline tick in `baseline` (invalid = none).
void paintBars(
    QPainter *painter, const QRectF &rect, const QList<qint64> &counts, const QColor &bar, const QColor &baseline = {});

} // namespace faultline
