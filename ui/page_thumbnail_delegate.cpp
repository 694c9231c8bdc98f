#include "ui/page_thumbnail_delegate.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QPen>

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
    // A thin edge just outside it: a white page on a light list (or a dark one on a dark list) is
    // otherwise a blank. The text colour, faint, contrasts with whatever the palette's rows are.
    QColor edge = opt.palette.color(QPalette::Text);
    edge.setAlpha(80);
    painter->setPen(QPen(edge, 0));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(thumbnailRect.adjusted(-1, -1, 0, 0));
    painter->restore();
}

} // namespace faultline
