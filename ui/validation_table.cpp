#include "ui/validation_table.h"

#include <QFontDatabase>

namespace faultline {

ValidationTable::ValidationTable(QWidget *parent)
    : FittedTable({ tr("Field"), tr("Message"), tr("Type"), tr("Input") }, parent)
{
    setObjectName(QStringLiteral("validationTable"));
}

QString ValidationTable::location(const ValidationIssue &issue)
{
    return issue.loc.isEmpty() ? tr("(whole request)") : issue.loc.join(u'.');
}

void ValidationTable::setIssues(const QList<ValidationIssue> &issues)
{
    QList<QStringList> rows;
    rows.reserve(issues.size());
    for (const ValidationIssue &issue : issues)
        rows.append({ location(issue), issue.msg, issue.type, issue.input });
    setRows(rows);
    // Names and values as the code spells them; the message is prose.
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int row = 0; row < rowCount(); ++row)
        for (int column : { LocationColumn, TypeColumn, InputColumn })
            if (QTableWidgetItem *cell = item(row, column))
                cell->setFont(mono);
    for (int column = 0; column + 1 < ColumnCount; ++column) {
        resizeColumnToContents(column);
        setColumnWidth(column, qMin(columnWidth(column), 320));
    }
}

} // namespace faultline
