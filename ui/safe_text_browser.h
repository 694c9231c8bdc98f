#pragma once
// Rendering HTML a service sent us (its 500.html) without trusting it.
//
// QTextBrowser runs no scripts, but out of the box it reads local files:
// QTextDocument falls back to reading file: URLs when nobody else provides a
// resource, and its image handler loads any src that is a path ("/dev/zero")
// directly, bypassing loadResource altogether. So the page goes into a
// SafeTextDocument, which answers only data: URLs and draws images itself,
// inside a SafeTextBrowser that never navigates.
#include <QTextBrowser>
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

class SafeTextBrowser : public QTextBrowser {
    Q_OBJECT
public:
    // Pages above this are not rendered: layout time grows with size, and no
    // real error page is this big.
    static constexpr qsizetype kMaxRenderBytes = 2 * 1024 * 1024;

    explicit SafeTextBrowser(QWidget *parent = nullptr);

    // Untrusted bytes → what setHtml may see: decoded by the page's own
    // charset declaration, with script/iframe/object/embed/noscript/template
    // elements removed (their text would otherwise show up as page text).
    static QString prepareHtml(const QByteArray &page);
    // Decoding only, for showing the source.
    static QString decodeHtml(const QByteArray &page);
    static QString withoutActiveContent(const QString &html);
    // Rewrites the modern CSS error pages use into what QTextDocument reads:
    // var(--x) resolved, gradients flattened to a colour.
    static QString simplifyCss(const QString &html);

    // Renders prepareHtml(page). Callers check the size against kMaxRenderBytes first.
    void showPage(const QByteArray &page);

    QVariant loadResource(int type, const QUrl &name) override;

    int refusedResources() const { return m_refusedResources; }
    int refusedNavigations() const { return m_refusedNavigations; }

signals:
    void resourceRefused(const QUrl &url, int type);
    void navigationRefused(const QUrl &url);

protected:
    void doSetSource(const QUrl &name, QTextDocument::ResourceType type) override;

private:
    void countRefusal(const QUrl &url, int type);

    int m_refusedResources = 0;
    int m_refusedNavigations = 0;
};

} // namespace faultline
