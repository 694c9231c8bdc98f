#pragma once
// The Pages list's page cell: its thumbnail as the page looks, also in a
// selected row. The style draws a selected row's picture blended with the
// selection colour (a white error page turned light blue); here the style draws
// the cell without it, the selection showing around the thumbnail, which is
// drawn as rendered, in a thin frame of the palette's text colour.
#include <QStyledItemDelegate>

namespace faultline {

class PageThumbnailDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace faultline
