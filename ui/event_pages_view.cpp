#include "ui/event_pages_view.h"

#include "ui/page_preview.h"
#include "ui/safe_text_browser.h"

#include <QTabBar>
#include <QTextDocument>
#include <QVBoxLayout>

namespace faultline {

EventPagesView::EventPagesView(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabBar(this))
    , m_preview(new PagePreview(this))
{
    setObjectName(QStringLiteral("eventPages"));
    m_tabs->setDocumentMode(true);
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    m_preview->setFixedHeight(kPreviewHeight);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_tabs);
    layout->addWidget(m_preview);
    connect(m_tabs, &QTabBar::currentChanged, this, &EventPagesView::showPage);
}

bool EventPagesView::setPages(const QList<EventPage> &pages)
{
    m_pages = pages;
    {
        const QSignalBlocker quiet(m_tabs);
        while (m_tabs->count() > 0)
            m_tabs->removeTab(0);
        for (const EventPage &page : pages)
            m_tabs->addTab(page.filename.isEmpty() ? tr("page %1").arg(m_tabs->count() + 1) : page.filename);
    }
    m_tabs->setVisible(pages.size() > 1);
    if (pages.isEmpty())
        m_preview->clear();
    else
        showPage(0);
    return !pages.isEmpty();
}

int EventPagesView::currentPage() const { return m_pages.isEmpty() ? -1 : qMax(0, m_tabs->currentIndex()); }

void EventPagesView::showPage(int index)
{
    if (index < 0 || index >= m_pages.size())
        return;
    if (m_tabs->currentIndex() != index) {
        const QSignalBlocker quiet(m_tabs);
        m_tabs->setCurrentIndex(index);
    }
    const EventPage &page = m_pages.at(index);
    m_preview->setPage(page.data, page.statusCode, page.filename);
    fitHeight();
}

void EventPagesView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitHeight();
}

void EventPagesView::fitHeight()
{
    // As tall as the rendered page, up to kPreviewHeight: a one-line page leaves no
    // empty box, a long one scrolls inside the preview.
    SafeTextBrowser *browser = m_preview->browser();
    QTextDocument *document = browser->document();
    const int chrome = m_preview->sizeHint().height() - browser->sizeHint().height();
    document->setTextWidth(qMax(200, browser->viewport()->width()));
    const int content = int(document->size().height()) + 2 * browser->frameWidth() + 8;
    m_preview->setFixedHeight(qBound(kMinPreviewHeight, chrome + content, kPreviewHeight));
}

} // namespace faultline
