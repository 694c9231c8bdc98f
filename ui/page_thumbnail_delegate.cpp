#include "ui/page_thumbnail_delegate.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

namespace faultline {

void PageThumbnailDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = option.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    // Laid out with the picture (the text keeps its place beside it), drawn without it.
    const QRect thumbnailRect = style->subElementRect(QStyle::SE_ItemViewItemDecoration, &opt, widget);
    opt.icon = QIcon();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QImage thumbnail = index.data(Qt::DecorationRole).value<QImage>();
    if (thumbnail.isNull())
        return;
    painter->save();
    painter->setClipRect(option.rect);
    painter->drawImage(thumbnailRect, thumbnail);
    painter->restore();
}

} // namespace faultline
