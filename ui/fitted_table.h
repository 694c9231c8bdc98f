#pragma once
// A read-only table that is as tall as its rows: the detail pane scrolls as a
// whole, so nested scroll bars inside it would only trap the mouse wheel.
#include <QTableWidget>

namespace faultline {

class FittedTable : public QTableWidget {
    Q_OBJECT
public:
    explicit FittedTable(const QStringList &headers, QWidget *parent = nullptr);

    // Replaces the contents; a cell's full text is also its tooltip, since
    // multi-line values are shown on one line.
    void setRows(const QList<QStringList> &rows);
    QString fullText(int row, int column) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    static QString oneLine(const QString &text);
};

} // namespace faultline
