#pragma once
// A project row: its name, and underneath either the unresolved count or
// "waiting for first event" (with the count also as a badge on the right).
#include <QStyledItemDelegate>

namespace faultline {

class ProjectDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace faultline
