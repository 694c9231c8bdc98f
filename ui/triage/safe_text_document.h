#pragma once
// Rendering HTML a service sent us (its 500.html) without trusting it.
//
// QTextDocument falls back to reading file: URLs when nobody else provides a
// resource, and its image handler loads any src that is a path ("/dev/zero")
// directly, bypassing loadResource altogether. So the page goes into a
// SafeTextDocument, which answers only data: URLs and draws images itself
// (shown in a SafeTextBrowser, ui/safe_text_browser.h, or painted into a
// thumbnail off the GUI thread).
#include <QPalette>
#include <QTextDocument>
#include <QTextObjectInterface>

class QTextFormat;

namespace faultline {

// A document whose only resources are data: URLs (images decoded with a size
// cap, style sheets as text). It is also the handler of its own images, so no
// image is ever loaded from anywhere else. Usable offscreen (thumbnails).
class SafeTextDocument : public QTextDocument, public QTextObjectInterface {
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)
public:
    static constexpr int kMaxImageSide = 4096; // larger images are refused before decoding

    explicit SafeTextDocument(QObject *parent = nullptr);

    // The whole policy: data: only. A null QVariant means refused.
    static QVariant allowedResource(int type, const QUrl &name);

    // Pages above this are not rendered: layout time grows with size, and no
    // real error page is this big.
    static constexpr qsizetype kMaxRenderBytes = 2 * 1024 * 1024;

    // Untrusted bytes → what setHtml may see: decoded by the page's own
    // charset declaration, with script/iframe/object/embed/noscript/template
    // elements removed (their text would otherwise show up as page text).
    static QString prepareHtml(const QByteArray &page);
    // Decoding only, for showing the source.
    static QString decodeHtml(const QByteArray &page);

    // A page as a browser showed it: black text on white and blue links unless
    // it says otherwise, whatever the desktop's palette (a dark one would write
    // light grey on the white page). Every colour group, so these stay when the
    // app's palette changes.
    static QPalette pagePalette(QPalette base = {});
    static QString withoutActiveContent(const QString &html);
    // Rewrites the modern CSS error pages use into what QTextDocument reads:
    // var(--x) resolved, gradients flattened to a colour.
    static QString simplifyCss(const QString &html);

    QSizeF intrinsicSize(QTextDocument *doc, int posInDocument, const QTextFormat &format) override;
    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *doc, int posInDocument,
        const QTextFormat &format) override;

signals:
    // Every refusal, also repeated ones (layout asks again on each pass).
    void resourceRefused(const QUrl &url, int type);

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    void installImageHandler();
};

} // namespace faultline
