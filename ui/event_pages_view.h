#pragma once
// "What the user saw" in the event detail: the pages attached to one event
// (usually its 500.html), rendered by PagePreview; a tab per page when the
// event carried more than one.
#include "storage/page_queries.h"

#include <QWidget>

class QTabBar;

namespace faultline {

class PagePreview;

class EventPagesView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kPreviewHeight = 360; // enough for a typical error page's message
    static constexpr int kMinPreviewHeight = 120;

    explicit EventPagesView(QWidget *parent = nullptr);

    // Pages with their data (PageQueries::forEvent(row, true)); false when there are none.
    bool setPages(const QList<EventPage> &pages);
    int pageCount() const { return int(m_pages.size()); }
    int currentPage() const;
    void showPage(int index);
    PagePreview *preview() const { return m_preview; }
    QTabBar *tabs() const { return m_tabs; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitHeight();

    QList<EventPage> m_pages;
    QTabBar *m_tabs;
    PagePreview *m_preview;
};

} // namespace faultline
