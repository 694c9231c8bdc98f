#include "ui/sparkline.h"

#include <QPainter>

#include <algorithm>

namespace faultline {

void paintBars(
    QPainter *painter, const QRectF &rect, const QList<qint64> &counts, const QColor &bar, const QColor &baseline)
{
    if (counts.isEmpty() || rect.width() <= 0 || rect.height() <= 0)
        return;
    const qint64 peak = *std::max_element(counts.begin(), counts.end());
    const qreal slot = rect.width() / qreal(counts.size());
    const qreal gap = slot >= 3 ? 1.0 : 0.0; // separate bars while they stay wider than the gap
    painter->save();
    painter->setPen(Qt::NoPen);
    for (int i = 0; i < counts.size(); ++i) {
        const qreal left = rect.left() + i * slot;
        const qint64 count = counts.at(i);
        if (count <= 0) {
            if (baseline.isValid())
                painter->fillRect(QRectF(left, rect.bottom() - 1, slot - gap, 1), baseline);
            continue;
        }
        const qreal height = std::max<qreal>(1.5, rect.height() * qreal(count) / qreal(peak));
        painter->fillRect(QRectF(left, rect.bottom() - height, slot - gap, height), bar);
    }
    painter->restore();
}

} // namespace faultline
