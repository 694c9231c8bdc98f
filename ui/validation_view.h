#pragma once
// Why a request was refused: the validation errors (Pydantic/DRF) field by
// field, and what the service answered its client (status code and body).
#include "model/event.h"

#include <QWidget>

class QLabel;

namespace faultline {

class FittedTable;

class ValidationView : public QWidget {
    Q_OBJECT
public:
    enum Columns { LocationColumn, MessageColumn, TypeColumn, InputColumn };

    explicit ValidationView(QWidget *parent = nullptr);

    // False when the event has neither validation errors nor an HTTP outcome.
    bool setEvent(const Event &event);

private:
    FittedTable *m_issues;
    QLabel *m_outcome;
};

} // namespace faultline
