#pragma once
// Paints the issue list's cells that are more than text: the level dot, the
// two-line title/culprit, the 24-hour trend bars and the status pill.
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
