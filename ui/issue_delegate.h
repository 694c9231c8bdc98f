#pragma once
// Paints the issue list's cells that are more than text: the level badge, the
// two-line title/culprit (with "unhandled" and, in All projects, the project),
// the 24-hour trend bars with their peak, and a pill for statuses that need it.
#include <QStyledItemDelegate>

namespace faultline {

class IssueDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Two text lines plus padding: the list's fixed row height.
    static int rowHeight(const QFontMetrics &metrics);
};

} // namespace faultline
