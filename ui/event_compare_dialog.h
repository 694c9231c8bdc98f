#pragma once
// Two events of an issue side by side (the Events tab's Compare): whether the
// current grouping gives them one key, where their keys part, and the exception,
// the grouping's parts and the tags in two columns, differences marked.
#include "model/event_comparison.h"

#include <QDialog>

class QLabel;
class QTreeWidget;

namespace faultline {

class EventCompareDialog : public QDialog {
    Q_OBJECT
public:
    EventCompareDialog(const Event &left, const QString &leftTitle, const Event &right, const QString &rightTitle,
        QWidget *parent = nullptr);

    const EventComparison &comparison() const { return m_comparison; }
    QString verdictText() const;
    QTreeWidget *table() const { return m_table; }

protected:
    void changeEvent(QEvent *event) override; // a theme switch re-colours the marked rows

private:
    void fill();

    EventComparison m_comparison;
    QLabel *m_verdict;
    QTreeWidget *m_table;
};

} // namespace faultline
