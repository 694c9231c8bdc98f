#pragma once
// What happened before the error, as a timeline: oldest first, newest last
// (the row just above the error is the last thing that happened).
#include "model/event.h"
#include "ui/fitted_table.h"

namespace faultline {

class BreadcrumbsView : public FittedTable {
    Q_OBJECT
public:
    enum Columns { TimeColumn, CategoryColumn, LevelColumn, MessageColumn, DataColumn, ColumnCount };

    explicit BreadcrumbsView(QWidget *parent = nullptr);
    void setBreadcrumbs(const QList<Breadcrumb> &breadcrumbs);
};

} // namespace faultline
