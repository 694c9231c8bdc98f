#include "ui/project_delegate.h"

#include "ui/triage/project_list_model.h"

#include <QApplication>
#include <QPainter>

namespace faultline {

QSize ProjectDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(2 * option.fontMetrics.height() + 14);
    return size;
}

void ProjectDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor secondary = selected ? text : option.palette.color(QPalette::PlaceholderText);
    const qint64 unresolved = index.data(ProjectListModel::UnresolvedRole).toLongLong();
    const bool waiting = !index.data(ProjectListModel::HasEventsRole).toBool();

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QRect area = option.rect.adjusted(10, 6, -8, -6);

    QFont badgeFont = option.font;
    badgeFont.setBold(true);
    const QFontMetrics badgeMetrics(badgeFont);
    if (unresolved > 0) {
        const QString count = unresolved > 9999 ? QStringLiteral("9999+") : QString::number(unresolved);
        const int height = badgeMetrics.height() + 2;
        const int width = qMax(height, badgeMetrics.horizontalAdvance(count) + 12);
        const QRect badge(area.right() - width, area.top() + 1, width, height);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xe5, 0x39, 0x35));
        painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
        painter->setPen(Qt::white);
        painter->setFont(badgeFont);
        painter->drawText(badge, Qt::AlignCenter, count);
        area.setRight(badge.left() - 6);
    }

    QFont nameFont = option.font;
    nameFont.setBold(true);
    const QFontMetrics nameMetrics(nameFont);
    painter->setFont(nameFont);
    painter->setPen(text);
    const QString name = index.data(Qt::DisplayRole).toString();
    painter->drawText(QRect(area.left(), area.top(), area.width(), nameMetrics.height()),
        Qt::AlignLeft | Qt::AlignVCenter, nameMetrics.elidedText(name, Qt::ElideRight, area.width()));

    QFont subtitleFont = option.font;
    subtitleFont.setItalic(waiting);
    painter->setFont(subtitleFont);
    painter->setPen(secondary);
    const QRect subtitle(
        area.left(), area.top() + nameMetrics.height() + 2, option.rect.width() - 18, option.fontMetrics.height());
    painter->drawText(subtitle, Qt::AlignLeft | Qt::AlignVCenter,
        option.fontMetrics.elidedText(
            index.data(ProjectListModel::SubtitleRole).toString(), Qt::ElideRight, subtitle.width()));
    painter->restore();
}

} // namespace faultline
