#include "ui/fitted_table.h"

#include <QHeaderView>

namespace faultline {

namespace {
constexpr int kMaxCellChars = 400; // longer values stay readable in the tooltip
}

FittedTable::FittedTable(const QStringList &headers, QWidget *parent)
    : QTableWidget(0, int(headers.size()), parent)
{
    setHorizontalHeaderLabels(headers);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setFocusPolicy(Qt::NoFocus);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    horizontalHeader()->setHighlightSections(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QString FittedTable::oneLine(const QString &text)
{
    QString line = text;
    line.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    if (line.size() > kMaxCellChars)
        line = line.left(kMaxCellChars) + QStringLiteral("…");
    return line;
}

void FittedTable::setRows(const QList<QStringList> &rows)
{
    clearContents();
    setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const QStringList &cells = rows.at(r);
        for (int c = 0; c < columnCount() && c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(oneLine(cells.at(c)));
            item->setData(Qt::UserRole, cells.at(c));
            if (cells.at(c).size() > 40 || cells.at(c).contains(QLatin1Char('\n')))
                item->setToolTip(cells.at(c).left(4000));
            setItem(r, c, item);
        }
    }
    // Size every column but the stretched last one to its contents, capped so one long key
    // cannot push the values out of sight.
    for (int c = 0; c + 1 < columnCount(); ++c) {
        resizeColumnToContents(c);
        setColumnWidth(c, qMin(columnWidth(c), 320));
    }
    updateGeometry();
}

QString FittedTable::fullText(int row, int column) const
{
    const QTableWidgetItem *cell = item(row, column);
    return cell ? cell->data(Qt::UserRole).toString() : QString();
}

QSize FittedTable::sizeHint() const
{
    int height = 2 * frameWidth()
        + (horizontalHeader()->isHidden() ? 0
                                          : qMax(horizontalHeader()->sizeHint().height(), fontMetrics().height() + 6));
    height += rowCount() * verticalHeader()->defaultSectionSize();
    return { QTableWidget::sizeHint().width(), height };
}

QSize FittedTable::minimumSizeHint() const { return { 100, sizeHint().height() }; }

} // namespace faultline
