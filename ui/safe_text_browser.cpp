#include "ui/safe_text_browser.h"

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
    setPalette(SafeTextDocument::pagePalette(palette()));
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
