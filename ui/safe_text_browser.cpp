#include "ui/safe_text_browser.h"

#include <QPalette>

namespace faultline {

SafeTextBrowser::SafeTextBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    auto *safeDocument = new SafeTextDocument(this);
    setDocument(safeDocument);
    connect(safeDocument, &SafeTextDocument::resourceRefused, this, &SafeTextBrowser::countRefusal);
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setSearchPaths({});
    setUndoRedoEnabled(false);
    // A page is shown as a browser showed it: black text on white unless it
    // says otherwise, whatever the app's theme. Set role by role, these stay
    // when the app's palette changes.
    QPalette page = palette();
    for (const QPalette::ColorGroup group : { QPalette::Active, QPalette::Inactive, QPalette::Disabled }) {
        page.setColor(group, QPalette::Base, Qt::white);
        page.setColor(group, QPalette::Window, Qt::white);
        page.setColor(group, QPalette::Text, Qt::black);
        page.setColor(group, QPalette::WindowText, Qt::black);
        page.setColor(group, QPalette::Link, QColor(0x00, 0x00, 0xee));
        page.setColor(group, QPalette::LinkVisited, QColor(0x55, 0x1a, 0x8b));
    }
    setPalette(page);
}

void SafeTextBrowser::showPage(const QByteArray &page) { setHtml(SafeTextDocument::prepareHtml(page)); }

QVariant SafeTextBrowser::loadResource(int type, const QUrl &name)
{
    const QVariant resource = SafeTextDocument::allowedResource(type, name);
    if (resource.isNull())
        countRefusal(name, type);
    return resource;
}

void SafeTextBrowser::doSetSource(const QUrl &name, QTextDocument::ResourceType)
{
    // A preview shows one page; following a link (or a refresh) would show another.
    ++m_refusedNavigations;
    emit navigationRefused(name);
}

void SafeTextBrowser::countRefusal(const QUrl &url, int type)
{
    ++m_refusedResources;
    emit resourceRefused(url, type);
}

} // namespace faultline
