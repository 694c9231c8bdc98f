#include "ui/issue_delegate.h"

#include "ui/issue_list_model.h"
#include "ui/level_style.h"
#include "ui/sparkline.h"

#include <QApplication>
#include <QPainter>

namespace faultline {

namespace {

QColor statusColor(const QString &status, bool regressed)
{
    if (regressed && status == QLatin1String("unresolved"))
        return QColor(0x8e, 0x24, 0xaa);
    if (status == QLatin1String("resolved"))
        return QColor(0x43, 0xa0, 0x47);
    if (status == QLatin1String("ignored"))
        return QColor(0x75, 0x75, 0x75);
    return QColor(0xe5, 0x39, 0x35);
}

} // namespace

int IssueDelegate::rowHeight(const QFontMetrics &metrics) { return 2 * metrics.height() + 12; }

QSize IssueDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(rowHeight(option.fontMetrics));
    if (index.column() == IssueListModel::LevelColumn)
        size.setWidth(22);
    return size;
}

void IssueDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int column = index.column();
    if (column != IssueListModel::LevelColumn && column != IssueListModel::TitleColumn
        && column != IssueListModel::StatusColumn && column != IssueListModel::TrendColumn) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }

    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // background, selection, focus

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    const QColor text = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect rect = option.rect;
    if (column == IssueListModel::LevelColumn) {
        const int diameter = 10;
        const QRect dot(rect.center().x() - diameter / 2, rect.center().y() - diameter / 2, diameter, diameter);
        painter->setPen(Qt::NoPen);
        painter->setBrush(levelColor(index.data(IssueListModel::LevelRole).toString()));
        painter->drawEllipse(dot);
    } else if (column == IssueListModel::TitleColumn) {
        const QRect area = rect.adjusted(6, 5, -6, -5);
        QFont titleFont = option.font;
        titleFont.setBold(true);
        const QFontMetrics titleMetrics(titleFont);
        painter->setFont(titleFont);
        painter->setPen(text);
        const QString title = index.data(IssueListModel::TitleRole).toString().simplified();
        painter->drawText(QRect(area.left(), area.top(), area.width(), titleMetrics.height()),
            Qt::AlignLeft | Qt::AlignVCenter, titleMetrics.elidedText(title, Qt::ElideRight, area.width()));
        painter->setFont(option.font);
        QColor secondary = text;
        if (!selected)
            secondary = option.palette.color(group, QPalette::PlaceholderText);
        painter->setPen(secondary);
        const QString culprit = index.data(IssueListModel::CulpritRole).toString();
        painter->drawText(
            QRect(area.left(), area.top() + titleMetrics.height() + 2, area.width(), option.fontMetrics.height()),
            Qt::AlignLeft | Qt::AlignVCenter, option.fontMetrics.elidedText(culprit, Qt::ElideMiddle, area.width()));
    } else if (column == IssueListModel::TrendColumn) {
        const auto counts = index.data(IssueListModel::TrendRole).value<QList<qint64>>();
        QColor bar = selected ? text : option.palette.color(group, QPalette::Highlight);
        QColor baseline = selected ? text : option.palette.color(group, QPalette::PlaceholderText);
        baseline.setAlpha(70);
        const QRect area = rect.adjusted(6, rect.height() / 4, -6, -rect.height() / 4);
        paintBars(painter, area, counts, bar, baseline);
    } else {
        const QString status = index.data(Qt::DisplayRole).toString();
        const QColor colour = statusColor(
            index.data(IssueListModel::StatusRole).toString(), index.data(IssueListModel::RegressedRole).toBool());
        QFont font = option.font;
        font.setPointSizeF(font.pointSizeF() * 0.9);
        const QFontMetrics metrics(font);
        const int width = metrics.horizontalAdvance(status) + 14;
        const int height = metrics.height() + 4;
        const QRect pill(rect.left() + 6, rect.center().y() - height / 2, qMin(width, rect.width() - 8), height);
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour);
        painter->drawRoundedRect(pill, height / 2.0, height / 2.0);
        painter->setFont(font);
        painter->setPen(Qt::white);
        painter->drawText(pill, Qt::AlignCenter, status);
    }
    painter->restore();
}

} // namespace faultline
