#pragma once
// The issue header's histogram: the issue's events per hour (last 24 h) or
// per day (last 30 days), with the range and peak written beside the bars and
// each bucket's count in a tooltip.
#include "storage/issue_histogram.h"

#include <QWidget>

namespace faultline {

class IssueHistogramView : public QWidget {
    Q_OBJECT
public:
    explicit IssueHistogramView(QWidget *parent = nullptr);

    void setHistogram(const Histogram &histogram);
    const Histogram &histogram() const { return m_histogram; }
    QString caption() const; // "Last 24 hours · peak 3/h"
    int bucketAt(const QPoint &position) const; // -1 outside the bars

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRect barsRect() const;

    Histogram m_histogram;
};

} // namespace faultline
