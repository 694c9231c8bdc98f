#include "ui/issue_histogram_view.h"

#include "ui/plural.h"
#include "ui/sparkline.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

namespace faultline {

namespace {
constexpr int kBarsHeight = 28;
constexpr int kCaptionGap = 8;

bool isHourly(const HistogramRange &range) { return range.bucketMs < HistogramRange::kDayMs; }
} // namespace

IssueHistogramView::IssueHistogramView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("issueHistogram"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void IssueHistogramView::setHistogram(const Histogram &histogram)
{
    m_histogram = histogram;
    setAccessibleDescription(caption());
    update();
}

QString IssueHistogramView::caption() const
{
    const bool hourly = isHourly(m_histogram.range);
    const QString span = hourly ? countText(m_histogram.range.buckets, "Last %1 hour", "Last %1 hours")
                                : countText(m_histogram.range.buckets, "Last %1 day", "Last %1 days");
    const qint64 total = m_histogram.total();
    if (total == 0)
        return tr("%1 · no events").arg(span);
    const QString peak = hourly ? tr("peak %1/h") : tr("peak %1/day");
    return tr("%1 · %2").arg(span, peak.arg(QLocale().toString(m_histogram.peak())));
}

QSize IssueHistogramView::sizeHint() const { return { 420, kBarsHeight + 4 }; }

QSize IssueHistogramView::minimumSizeHint() const { return { 120, kBarsHeight + 4 }; }

QRect IssueHistogramView::barsRect() const
{
    const int captionWidth = fontMetrics().horizontalAdvance(caption()) + kCaptionGap;
    // Bars take at most 8 px a bucket, so a wide pane does not stretch them into blocks.
    const int maxBars = qMax(1, m_histogram.range.buckets) * 8;
    const int barsWidth = qBound(40, width() - captionWidth, maxBars);
    return { 0, 2, barsWidth, kBarsHeight };
}

int IssueHistogramView::bucketAt(const QPoint &position) const
{
    const QRect bars = barsRect();
    if (m_histogram.counts.isEmpty() || !bars.contains(position))
        return -1;
    return qBound(0, int((position.x() - bars.left()) * m_histogram.counts.size() / qMax(1, bars.width())),
        int(m_histogram.counts.size()) - 1);
}

void IssueHistogramView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect bars = barsRect();
    // A faint field shows the whole range, so a lone bar reads as "only then".
    QColor field = palette().color(QPalette::PlaceholderText);
    field.setAlpha(28);
    painter.fillRect(bars, field);
    paintBars(&painter, bars, m_histogram.counts, palette().color(QPalette::Highlight));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRect(bars.right() + kCaptionGap, 0, width() - bars.right() - kCaptionGap, height()),
        Qt::AlignLeft | Qt::AlignVCenter, caption());
}

bool IssueHistogramView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int bucket = bucketAt(help->pos());
        if (bucket < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const HistogramRange &range = m_histogram.range;
        const qint64 start = range.startMs + bucket * range.bucketMs;
        const QDateTime from = QDateTime::fromMSecsSinceEpoch(start);
        const QString when = isHourly(range)
            ? QLocale().toString(from, QStringLiteral("ddd HH:mm")) + QStringLiteral("–")
                + QLocale().toString(from.addMSecs(range.bucketMs), QStringLiteral("HH:mm"))
            : QLocale().toString(QDateTime::fromMSecsSinceEpoch(start, Qt::UTC).date(), QLocale::ShortFormat)
                + tr(" (UTC)");
        QToolTip::showText(help->globalPos(),
            when + QStringLiteral(": ") + countText(m_histogram.counts.value(bucket), "%1 event", "%1 events"), this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace faultline
