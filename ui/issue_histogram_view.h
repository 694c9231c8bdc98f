#pragma once
// The issue header's chart: the issue's events per hour (24 h) or per day
// (14 d, 90 d) with a switch between the three, a count axis (0, half, peak),
// a time axis, a marker where each release's first event arrived, and the
// hovered bar's count written on the chart (and in a tooltip).
#include "storage/issue_histogram.h"

#include <QWidget>

class QButtonGroup;

namespace faultline {

class IssueHistogramView : public QWidget {
    Q_OBJECT
public:
    enum class Span { Day, TwoWeeks, NinetyDays };
    struct ReleaseMarker {
        qint64 firstSeenMs = 0;
        QString release;
    };

    explicit IssueHistogramView(QWidget *parent = nullptr);

    static HistogramRange rangeFor(Span span, qint64 nowMs);
    // 24 h for an issue younger than a day, 14 d otherwise.
    static Span defaultSpan(qint64 firstSeenMs, qint64 nowMs);

    void setHistogram(const Histogram &histogram, const QList<ReleaseMarker> &markers = {});
    const Histogram &histogram() const { return m_histogram; }
    const QList<ReleaseMarker> &releaseMarkers() const { return m_markers; }
    Span span() const { return m_span; }
    void setSpan(Span span); // the switch only; the owner reads the new range (spanChanged)
    QString caption() const; // "Last 24 hours · peak 3/h"
    int bucketAt(const QPoint &position) const; // -1 outside the bars
    int hoveredBucket() const { return m_hovered; }
    QRect plotRect() const; // where the bars are drawn
    QString describeBucket(int bucket) const; // "Thu 13:00–14:00: 3 events"
    struct MarkerLabel {
        QString text;
        QRect rect;
    };
    // The release names written on the chart, and where: beside their line, clear of the bar it
    // crosses (blue on blue, a name was cut where it ran into it), inside the plot.
    QList<MarkerLabel> markerLabels() const;
    QStringList visibleMarkerLabels() const; // their names

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void spanChanged(faultline::IssueHistogramView::Span span);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    double xOf(qint64 ms) const;
    void layoutButtons();

    Histogram m_histogram;
    QList<ReleaseMarker> m_markers;
    Span m_span = Span::Day;
    int m_hovered = -1;
    QButtonGroup *m_buttons;
};

} // namespace faultline
