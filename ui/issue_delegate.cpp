#include "ui/issue_delegate.h"

#include "ui/sparkline.h"
#include "ui/triage/issue_list_model.h"
#include "ui/triage/level_style.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>

namespace faultline {

namespace {

QColor statusColor(const QString &label)
{
    if (label == QLatin1String("regressed"))
        return QColor(0x8e, 0x24, 0xaa);
    if (label == QLatin1String("escalating"))
        return QColor(0xef, 0x6c, 0x00);
    if (label == QLatin1String("resolved"))
        return QColor(0x43, 0xa0, 0x47);
    return QColor(0x75, 0x75, 0x75); // ignored
}

// The level as a letter in a shape, readable without its colour: fatal is a square, error a
// circle, warning a diamond, info and debug a ring.
void paintLevel(QPainter *painter, const QRect &rect, const QString &level, const QFont &base)
{
    const int size = 16;
    const QRectF box(rect.center().x() - size / 2.0 + 0.5, rect.center().y() - size / 2.0 + 0.5, size, size);
    const QColor colour = levelColor(level);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    bool filled = true;
    if (level == QLatin1String("fatal")) {
        painter->drawRoundedRect(box, 3, 3);
    } else if (level == QLatin1String("warning")) {
        const QPointF c = box.center();
        const double r = size / 2.0 + 1;
        painter->drawPolygon(QPolygonF({ QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()),
            QPointF(c.x(), c.y() + r), QPointF(c.x() - r, c.y()) }));
    } else if (level == QLatin1String("error")) {
        painter->drawEllipse(box);
    } else {
        painter->setPen(QPen(colour, 1.6));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(box.adjusted(1, 1, -1, -1));
        filled = false;
    }
    QFont font = base;
    font.setBold(true);
    font.setPixelSize(10);
    painter->setFont(font);
    painter->setPen(filled ? QColor(Qt::white) : colour);
    painter->drawText(box, Qt::AlignCenter, level.left(1).toUpper());
}

// A small label at the left of `line`, filled (white text) or outlined; returns its right edge.
int paintTag(
    QPainter *painter, const QRect &line, const QString &label, const QColor &colour, bool filled, const QFont &base)
{
    QFont font = base;
    font.setBold(true);
    font.setPointSizeF(base.pointSizeF() * 0.9);
    const QFontMetrics metrics(font);
    const QRect tag(line.left(), line.top(), metrics.horizontalAdvance(label) + 10, line.height());
    painter->setPen(filled ? QPen(Qt::NoPen) : QPen(colour, 1));
    painter->setBrush(filled ? QBrush(colour) : QBrush(Qt::NoBrush));
    painter->drawRoundedRect(QRectF(tag).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    painter->setFont(font);
    painter->setPen(filled ? QColor(Qt::white) : colour);
    painter->drawText(tag, Qt::AlignCenter, label);
    painter->setFont(base);
    return tag.right();
}

} // namespace

int IssueDelegate::rowHeight(const QFontMetrics &metrics) { return 2 * metrics.height() + 12; }

QSize IssueDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(rowHeight(option.fontMetrics));
    if (index.column() == IssueListModel::LevelColumn)
        size.setWidth(26);
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
        paintLevel(painter, rect, index.data(IssueListModel::LevelRole).toString(), option.font);
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
        // Second line: the status when it needs attention, "unhandled", the project (in All
        // projects), then the culprit.
        QRect line(area.left(), area.top() + titleMetrics.height() + 2, area.width(), option.fontMetrics.height());
        const QString status = index.siblingAtColumn(IssueListModel::StatusColumn).data().toString();
        if (!status.isEmpty())
            line.setLeft(paintTag(painter, line, status, statusColor(status), true, option.font) + 6);
        if (index.data(IssueListModel::UnhandledRole).toBool())
            line.setLeft(
                paintTag(painter, line, tr("unhandled"), selected ? text : QColor(0xe5, 0x39, 0x35), false, option.font)
                + 6);
        const QString project = index.data(IssueListModel::ProjectNameRole).toString();
        if (!project.isEmpty()) {
            QFont bold = option.font;
            bold.setBold(true);
            const QFontMetrics boldMetrics(bold);
            const QString shown = boldMetrics.elidedText(project, Qt::ElideRight, qMin(line.width() / 3, 160));
            painter->setFont(bold);
            painter->setPen(selected ? text : option.palette.color(group, QPalette::Text));
            painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, shown);
            painter->setFont(option.font);
            line.setLeft(line.left() + boldMetrics.horizontalAdvance(shown) + 8);
        }
        painter->setPen(secondary);
        const QString culprit = index.data(IssueListModel::CulpritRole).toString();
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
            option.fontMetrics.elidedText(culprit, Qt::ElideMiddle, qMax(0, line.width())));
    } else if (column == IssueListModel::TrendColumn) {
        const auto counts = index.data(IssueListModel::TrendRole).value<QList<qint64>>();
        QColor bar = selected ? text : option.palette.color(group, QPalette::Highlight);
        QColor baseline = selected ? text : option.palette.color(group, QPalette::PlaceholderText);
        baseline.setAlpha(70);
        // The scale: the busiest hour's count above the bars' right end.
        qint64 peak = 0;
        for (qint64 count : counts)
            peak = qMax(peak, count);
        QFont small = option.font;
        small.setPointSizeF(small.pointSizeF() * 0.8);
        const QFontMetrics smallMetrics(small);
        const QRect labelRect(rect.left() + 6, rect.top() + 3, rect.width() - 12, smallMetrics.height());
        painter->setFont(small);
        painter->setPen(selected ? text : option.palette.color(group, QPalette::PlaceholderText));
        painter->drawText(
            labelRect, Qt::AlignRight | Qt::AlignVCenter, peak > 0 ? QLocale().toString(peak) : QString());
        const QRect area(
            rect.left() + 6, labelRect.bottom() + 2, rect.width() - 12, rect.bottom() - labelRect.bottom() - 6);
        paintBars(painter, area, counts, bar, baseline);
    } else {
        const QString status = index.data(Qt::DisplayRole).toString();
        if (status.isEmpty()) {
            painter->restore();
            return; // unresolved: no pill, only what needs attention is marked
        }
        const QColor colour = statusColor(status);
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
