#include "ui/validation_table.h"

#include <QFontDatabase>
#include <QHeaderView>

namespace faultline {

ValidationTable::ValidationTable(QWidget *parent)
    : QTableWidget(0, ColumnCount, parent)
{
    setHorizontalHeaderLabels({ tr("Field"), tr("Message"), tr("Type"), tr("Input") });
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setAlternatingRowColors(true);
    setWordWrap(false);
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(LocationColumn, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(MessageColumn, QHeaderView::Stretch);
    horizontalHeader()->setSectionResizeMode(TypeColumn, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(InputColumn, QHeaderView::Interactive);
}

QString ValidationTable::location(const ValidationIssue &issue)
{
    return issue.loc.isEmpty() ? tr("(whole request)") : issue.loc.join(u'.');
}

void ValidationTable::setIssues(const QList<ValidationIssue> &issues)
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setRowCount(0);
    setRowCount(int(issues.size()));
    for (int row = 0; row < issues.size(); ++row) {
        const ValidationIssue &issue = issues.at(row);
        const QString cells[ColumnCount] = { location(issue), issue.msg, issue.type, issue.input };
        for (int column = 0; column < ColumnCount; ++column) {
            // Messages can be multi-line (Pydantic); the table shows one line, the tooltip all.
            QString text = cells[column];
            auto *item = new QTableWidgetItem(text.replace(u'\n', u' '));
            item->setToolTip(cells[column]);
            if (column == LocationColumn || column == TypeColumn || column == InputColumn)
                item->setFont(mono);
            setItem(row, column, item);
        }
    }
    resizeColumnToContents(InputColumn);
}

} // namespace faultline
