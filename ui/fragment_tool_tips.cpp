#include "ui/fragment_tool_tips.h"

#include <QAbstractTextDocumentLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolTip>

namespace faultline {

FragmentToolTips::FragmentToolTips(QLabel *label)
    : QObject(label)
{
    label->installEventFilter(this);
}

bool FragmentToolTips::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return false;
    auto *label = static_cast<QLabel *>(watched);
    const auto *help = static_cast<QHelpEvent *>(event);
    const QString tip = fragmentToolTipAt(*label, help->pos());
    if (tip.isEmpty())
        return false;
    QToolTip::showText(help->globalPos(), tip, label);
    return true;
}

QString fragmentToolTipAt(const QLabel &label, QPoint pos)
{
    const auto *document = label.findChild<QTextDocument *>(); // QLabel's own, once it laid rich text out
    if (!document)
        return {};
    // Where QLabel draws the document (QLabelPrivate::layoutRect): inside the
    // contents and the margin, moved down by the vertical alignment.
    const int margin = label.margin();
    const QRectF area = QRectF(label.contentsRect()).adjusted(margin, margin, -margin, -margin);
    const qreal spare = std::max(area.height() - document->documentLayout()->documentSize().height(), 0.0);
    qreal top = area.top();
    if (label.alignment() & Qt::AlignVCenter)
        top += spare / 2;
    else if (label.alignment() & Qt::AlignBottom)
        top += spare;
    const int position = document->documentLayout()->hitTest(QPointF(pos) - QPointF(area.left(), top), Qt::ExactHit);
    if (position < 0)
        return {};
    const QTextBlock block = document->findBlock(position);
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        if (fragment.contains(position))
            return fragment.charFormat().toolTip();
    }
    return {};
}

} // namespace faultline
