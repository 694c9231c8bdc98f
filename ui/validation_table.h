#pragma once
// The fields a request failed validation on (Pydantic/DRF), one row each:
// where (loc joined with "."), why (msg, type), and the offending input. As
// tall as its rows, like the other tables of the detail pane.
#include "model/event.h"
#include "ui/fitted_table.h"

namespace faultline {

class ValidationTable : public FittedTable {
    Q_OBJECT
public:
    enum Columns { LocationColumn, MessageColumn, TypeColumn, InputColumn, ColumnCount };

    explicit ValidationTable(QWidget *parent = nullptr);

    void setIssues(const QList<ValidationIssue> &issues);

    // "body.items.0.qty"; "(whole request)" for an empty loc.
    static QString location(const ValidationIssue &issue);
};

} // namespace faultline
