#include "ui/visible_rows.h"

#include <QEvent>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

namespace faultline {

void VisibleRows::follow(QTableView *view, Shown shown)
{
    auto *rows = new VisibleRows(view, std::move(shown));
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, rows, &VisibleRows::update);
    connect(view->verticalScrollBar(), &QScrollBar::rangeChanged, rows, &VisibleRows::update);
    view->viewport()->installEventFilter(rows);
    rows->update();
}

VisibleRows::VisibleRows(QTableView *view, Shown shown)
    : QObject(view)
    , m_view(view)
    , m_shown(std::move(shown))
{
}

void VisibleRows::update()
{
    const int height = m_view->viewport()->height();
    const int top = qMax(0, m_view->rowAt(0));
    int bottom = m_view->rowAt(height - 1);
    if (bottom < 0) // below the last row, or the header has not laid the rows out yet: what fits
        bottom = top + height / qMax(1, m_view->verticalHeader()->defaultSectionSize());
    m_shown(top, bottom);
}

bool VisibleRows::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize)
        update();
    return QObject::eventFilter(watched, event);
}

} // namespace faultline
