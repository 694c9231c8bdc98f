#include "ui/issue_histogram_view.h"

#include "ui/sparkline.h"
#include "ui/triage/plural.h"

#include <QButtonGroup>
#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <QToolTip>

#include <cmath>
#include <limits>

namespace faultline {

namespace {
constexpr int kAxisGap = 6;
constexpr int kPlotHeight = 56;

bool isHourly(const HistogramRange &range) { return range.bucketMs < HistogramRange::kDayMs; }

QColor withAlpha(QColor colour, int alpha)
{
    colour.setAlpha(alpha);
    return colour;
}
} // namespace

IssueHistogramView::IssueHistogramView(QWidget *parent)
    : QWidget(parent)
    , m_buttons(new QButtonGroup(this))
{
    setObjectName(QStringLiteral("issueHistogram"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
    const std::pair<Span, QString> spans[]
        = { { Span::Day, tr("24h") }, { Span::TwoWeeks, tr("14d") }, { Span::NinetyDays, tr("90d") } };
    for (const auto &[span, label] : spans) {
        auto *button = new QToolButton(this);
        button->setText(label);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolTip(tr("Events over the last %1").arg(label));
        button->setObjectName(QStringLiteral("span") + label);
        m_buttons->addButton(button, int(span));
    }
    m_buttons->button(int(m_span))->setChecked(true);
    connect(m_buttons, &QButtonGroup::idClicked, this, [this](int id) {
        if (Span(id) == m_span)
            return;
        m_span = Span(id);
        emit spanChanged(m_span);
    });
}

HistogramRange IssueHistogramView::rangeFor(Span span, qint64 nowMs)
{
    switch (span) {
    case Span::Day:
        return HistogramRange::lastHours(nowMs, 24);
    case Span::TwoWeeks:
        return HistogramRange::lastDays(nowMs, 14);
    case Span::NinetyDays:
        return HistogramRange::lastDays(nowMs, 90);
    }
    return HistogramRange::lastHours(nowMs, 24);
}

IssueHistogramView::Span IssueHistogramView::defaultSpan(qint64 firstSeenMs, qint64 nowMs)
{
    return nowMs - firstSeenMs < HistogramRange::kDayMs ? Span::Day : Span::TwoWeeks;
}

void IssueHistogramView::setSpan(Span span)
{
    m_span = span;
    m_buttons->button(int(span))->setChecked(true);
}

void IssueHistogramView::setHistogram(const Histogram &histogram, const QList<ReleaseMarker> &markers)
{
    m_histogram = histogram;
    m_markers = markers;
    m_hovered = -1;
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
    return tr("%1 · %2 · %3")
        .arg(span, peak.arg(QLocale().toString(m_histogram.peak())), countText(total, "%1 event", "%1 events"));
}

QSize IssueHistogramView::sizeHint() const
{
    const int line = fontMetrics().height();
    return { 420, line + 4 + kPlotHeight + line + 4 };
}

QSize IssueHistogramView::minimumSizeHint() const { return { 200, sizeHint().height() }; }

QRect IssueHistogramView::plotRect() const
{
    const QFontMetrics metrics = fontMetrics();
    const int axisWidth = metrics.horizontalAdvance(QLocale().toString(std::max<qint64>(10, m_histogram.peak())));
    const int top = metrics.height() + 6;
    return { axisWidth + kAxisGap, top, std::max(40, width() - axisWidth - kAxisGap - 2), kPlotHeight };
}

void IssueHistogramView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutButtons();
}

void IssueHistogramView::layoutButtons()
{
    int right = width();
    const QList<QAbstractButton *> buttons = m_buttons->buttons();
    for (auto it = buttons.crbegin(); it != buttons.crend(); ++it) {
        const QSize size = (*it)->sizeHint();
        right -= size.width();
        (*it)->setGeometry(right, 0, size.width(), std::min(size.height(), fontMetrics().height() + 6));
    }
}

int IssueHistogramView::bucketAt(const QPoint &position) const
{
    const QRect plot = plotRect();
    if (m_histogram.counts.isEmpty() || !plot.adjusted(0, 0, 0, 1).contains(position))
        return -1;
    return qBound(0, int((position.x() - plot.left()) * m_histogram.counts.size() / qMax(1, plot.width())),
        int(m_histogram.counts.size()) - 1);
}

double IssueHistogramView::xOf(qint64 ms) const
{
    const QRect plot = plotRect();
    const HistogramRange &range = m_histogram.range;
    return plot.left()
        + double(ms - range.startMs) * plot.width() / double(std::max<qint64>(1, range.endMs() - range.startMs));
}

QString IssueHistogramView::describeBucket(int bucket) const
{
    const HistogramRange &range = m_histogram.range;
    const qint64 start = range.startMs + bucket * range.bucketMs;
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(start);
    const QString when = isHourly(range)
        ? QLocale().toString(from, QStringLiteral("ddd HH:mm")) + QStringLiteral("–")
            + QLocale().toString(from.addMSecs(range.bucketMs), QStringLiteral("HH:mm"))
        : QLocale().toString(QDateTime::fromMSecsSinceEpoch(start, Qt::UTC).date(), QStringLiteral("ddd d MMM"))
            + tr(" (UTC)");
    return when + QStringLiteral(": ") + countText(m_histogram.counts.value(bucket), "%1 event", "%1 events");
}

QList<IssueHistogramView::MarkerLabel> IssueHistogramView::markerLabels() const
{
    QList<MarkerLabel> labels;
    const QRect plot = plotRect();
    const HistogramRange &range = m_histogram.range;
    const double slot = double(plot.width()) / std::max(1, range.buckets);
    int lastRight = std::numeric_limits<int>::min() / 2;
    for (const ReleaseMarker &marker : m_markers) {
        const double x = xOf(marker.firstSeenMs);
        if (x < plot.left() || x > plot.right())
            continue;
        // Clear of the line, and of the bar it crosses when that bar has events.
        double clearFrom = x;
        double clearTo = x;
        const qint64 bucket = (marker.firstSeenMs - range.startMs) / std::max<qint64>(1, range.bucketMs);
        if (m_histogram.counts.value(bucket) > 0) {
            clearFrom = plot.left() + double(bucket) * slot;
            clearTo = clearFrom + slot;
        }
        const QString text = fontMetrics().elidedText(marker.release, Qt::ElideMiddle, 90);
        const int width = fontMetrics().horizontalAdvance(text);
        int left = int(std::ceil(clearTo)) + 3;
        if (left + width > plot.right()) // left of it, when it would run off the chart (a release of the last hours)
            left = int(std::floor(clearFrom)) - 3 - width;
        left = std::max(left, plot.left());
        if (left < lastRight + 4)
            continue; // too close to the previous label: its line is still drawn
        labels.append({ text, QRect(left, plot.top(), width, fontMetrics().height()) });
        lastRight = left + width;
    }
    return labels;
}

QStringList IssueHistogramView::visibleMarkerLabels() const
{
    QStringList names;
    for (const MarkerLabel &label : markerLabels())
        names.append(label.text);
    return names;
}

void IssueHistogramView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QPalette &pal = palette();
    const QFontMetrics metrics = fontMetrics();
    const QRect plot = plotRect();
    const QColor text = pal.color(QPalette::WindowText);
    const QColor muted = pal.color(QPalette::PlaceholderText);

    painter.setPen(muted);
    const int buttonsLeft = m_buttons->buttons().first()->x();
    painter.drawText(QRect(plot.left(), 0, buttonsLeft - plot.left() - 4, metrics.height() + 4),
        Qt::AlignLeft | Qt::AlignVCenter, metrics.elidedText(caption(), Qt::ElideRight, buttonsLeft - plot.left() - 4));

    // Count axis: 0, half and the peak, with faint grid lines.
    const qint64 peak = m_histogram.peak();
    painter.fillRect(plot, withAlpha(muted, 18));
    for (const auto &[fraction, value] :
        { std::pair { 0.0, qint64(0) }, std::pair { 0.5, peak / 2 }, std::pair { 1.0, peak } }) {
        if (fraction > 0 && (peak < 2 && fraction < 1))
            continue;
        const int y = plot.bottom() - int(fraction * (plot.height() - 1));
        painter.setPen(withAlpha(muted, 60));
        painter.drawLine(plot.left(), y, plot.right(), y);
        painter.setPen(muted);
        painter.drawText(QRect(0, y - metrics.height() / 2, plot.left() - kAxisGap, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, QLocale().toString(value));
    }

    paintBars(&painter, plot, m_histogram.counts, pal.color(QPalette::Highlight));
    if (m_hovered >= 0 && !m_histogram.counts.isEmpty()) {
        const double width = double(plot.width()) / m_histogram.counts.size();
        painter.fillRect(
            QRectF(plot.left() + m_hovered * width, plot.top(), width, plot.height()), withAlpha(text, 40));
    }

    // Releases: a dashed line where each one's first event arrived, and its name.
    painter.setPen(QPen(pal.color(QPalette::Link), 1, Qt::DashLine));
    for (const ReleaseMarker &marker : m_markers) {
        const double x = xOf(marker.firstSeenMs);
        if (x >= plot.left() && x <= plot.right())
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    painter.setPen(pal.color(QPalette::Link));
    for (const MarkerLabel &label : markerLabels()) {
        // On the window's colour: a name over a later release's bars stays readable.
        painter.fillRect(label.rect.adjusted(-2, 0, 2, 0), withAlpha(pal.color(QPalette::Window), 210));
        painter.drawText(label.rect.topLeft() + QPoint(0, metrics.ascent()), label.text);
    }

    // Time axis: the range's start, middle and end.
    painter.setPen(muted);
    const HistogramRange &range = m_histogram.range;
    const bool hourly = isHourly(range);
    auto label = [hourly](qint64 ms) {
        return hourly ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QStringLiteral("HH:mm"))
                      : QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date(), QStringLiteral("d MMM"));
    };
    const int axisTop = plot.bottom() + 2;
    const int count = std::max(1, range.buckets);
    painter.drawText(
        QRect(plot.left(), axisTop, plot.width() / 3, metrics.height()), Qt::AlignLeft, label(range.startMs));
    painter.drawText(QRect(plot.left() + plot.width() / 3, axisTop, plot.width() / 3, metrics.height()),
        Qt::AlignHCenter, label(range.startMs + (count / 2) * range.bucketMs));
    painter.drawText(QRect(plot.right() - plot.width() / 3, axisTop, plot.width() / 3, metrics.height()),
        Qt::AlignRight, hourly ? tr("now") : label(range.startMs + (count - 1) * range.bucketMs));

    if (m_hovered >= 0) { // the hovered value, written where the caption is
        const QString value = describeBucket(m_hovered);
        const int width = metrics.horizontalAdvance(value) + 8;
        const QRect box(std::max(plot.left(), buttonsLeft - width - 4), 0, width, metrics.height() + 4);
        painter.fillRect(box, pal.color(QPalette::Window));
        painter.setPen(text);
        painter.drawText(box, Qt::AlignCenter, value);
    }
}

void IssueHistogramView::mouseMoveEvent(QMouseEvent *event)
{
    const int bucket = bucketAt(event->position().toPoint());
    if (bucket != m_hovered) {
        m_hovered = bucket;
        update();
    }
    QWidget::mouseMoveEvent(event);
}

bool IssueHistogramView::event(QEvent *event)
{
    if (event->type() == QEvent::Leave && m_hovered >= 0) {
        m_hovered = -1;
        update();
    }
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int bucket = bucketAt(help->pos());
        if (bucket < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        QString tip = describeBucket(bucket);
        for (const ReleaseMarker &marker : std::as_const(m_markers))
            if (std::abs(xOf(marker.firstSeenMs) - help->pos().x()) <= 3)
                tip += tr("\nRelease %1: first event %2")
                           .arg(marker.release,
                               QLocale().toString(
                                   QDateTime::fromMSecsSinceEpoch(marker.firstSeenMs), QLocale::ShortFormat));
        QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace faultline
