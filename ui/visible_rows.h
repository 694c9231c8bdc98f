#pragma once
// Tells a model which of its rows a table shows, for models that read rows
// only when asked (IssueListModel's pages, PagesModel's thumbnails): at once,
// and again on scrolling and resizing. The models' data() never reads: what
// the view shows is asked for here, off the paint path.
#include <QObject>

#include <functional>

class QTableView;

namespace faultline {

class VisibleRows : public QObject {
    Q_OBJECT
public:
    using Shown = std::function<void(int first, int last)>;
    // Lives as long as `view` (its child).
    static void follow(QTableView *view, Shown shown);

    void update(); // tells `shown` the rows in the viewport now

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    VisibleRows(QTableView *view, Shown shown);

    QTableView *m_view;
    Shown m_shown;
};

} // namespace faultline
