#pragma once
// "Grouped by: …": the key an event was grouped by, what counted (exception
// type, frames with their source line, message) and what was ignored and why,
// so a user can see why two events did or did not land in one issue.
#include "storage/grouping_queries.h"

#include <QWidget>

#include <optional>

class QLabel;

namespace faultline {

class GroupingView : public QWidget {
    Q_OBJECT
public:
    explicit GroupingView(QWidget *parent = nullptr);

    // Returns whether there is anything to show; events stored before grouping
    // keys were recorded have nothing.
    bool setGrouping(const std::optional<StoredGroupingKey> &key);

    QString summaryText() const; // the "Grouped by: …" line, as plain text

private:
    QLabel *m_summary;
    QLabel *m_parts;
    QLabel *m_key;
    QString m_plainSummary;
};

} // namespace faultline
