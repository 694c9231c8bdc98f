#include "ui/triage/safe_text_document.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QHash>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QPixmap>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QTextFormat>
#include <QUrl>

#include <algorithm>
#include <functional>

namespace faultline {

namespace {

constexpr qsizetype kMaxStyleSheetBytes = 256 * 1024;
constexpr qreal kPlaceholderSide = 16;

struct Stripped {
    QLatin1String name;
    bool isVoid; // no content and no end tag: only the tag itself goes
};

// Elements whose content a browser never shows as text (scripts, frames,
// plug-ins) or shows only without scripting (noscript: the user's browser ran
// scripts). QTextBrowser does not know them and would print their content.
constexpr Stripped kStripped[] = {
    { QLatin1String("script"), false },
    { QLatin1String("iframe"), false },
    { QLatin1String("noscript"), false },
    { QLatin1String("template"), false },
    { QLatin1String("object"), false },
    { QLatin1String("applet"), false },
    { QLatin1String("frameset"), false },
    { QLatin1String("embed"), true },
    { QLatin1String("frame"), true },
};

bool endsTagName(const QString &html, qsizetype at)
{
    if (at >= html.size())
        return true;
    const QChar c = html.at(at);
    return c.isSpace() || c == u'>' || c == u'/';
}

const Stripped *strippedAt(const QString &html, qsizetype lt)
{
    for (const Stripped &element : kStripped) {
        if (QStringView(html).mid(lt + 1, element.name.size()).compare(element.name, Qt::CaseInsensitive) == 0
            && endsTagName(html, lt + 1 + element.name.size()))
            return &element;
    }
    return nullptr;
}

QString replaceMatches(const QString &text, const QRegularExpression &pattern,
    const std::function<QString(const QRegularExpressionMatch &)> &replacement)
{
    QString out;
    qsizetype last = 0;
    for (auto it = pattern.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        out += replacement(match);
        last = match.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

const QRegularExpression &customPropertyPattern()
{
    static const QRegularExpression pattern(QStringLiteral("(--[A-Za-z0-9_-]+)\\s*:\\s*([^;{}]*);?"));
    return pattern;
}

void collectCustomProperties(const QString &css, QHash<QString, QString> *properties)
{
    for (auto it = customPropertyPattern().globalMatch(css); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        properties->insert(match.captured(1), match.captured(2).trimmed());
    }
}

// Qt's CSS parser drops a whole style sheet over one `--name: value`, and
// knows neither var() nor gradients: resolve the first, flatten the second to
// its last colour stop (for a radial glow, the page's base colour).
QString simplifyDeclarations(const QString &css, const QHash<QString, QString> &properties)
{
    static const QRegularExpression use(
        QStringLiteral("var\\(\\s*(--[A-Za-z0-9_-]+)\\s*(?:,\\s*([^()]*(?:\\([^()]*\\)[^()]*)*))?\\)"));
    static const QRegularExpression gradient(
        QStringLiteral("(?:repeating-)?(?:linear|radial|conic)-gradient\\(((?:[^()]|\\([^()]*\\))*)\\)"));
    static const QRegularExpression colour(QStringLiteral("#[0-9a-fA-F]{3,8}\\b|(?:rgb|hsl)a?\\([^()]*\\)"));
    QString out
        = replaceMatches(css, customPropertyPattern(), [](const QRegularExpressionMatch &) { return QString(); });
    // A few passes resolve properties defined through other properties; cycles just stop.
    for (int pass = 0; pass < 3 && out.contains(QLatin1String("var(")); ++pass)
        out = replaceMatches(out, use, [&properties](const QRegularExpressionMatch &match) {
            return properties.value(match.captured(1), match.captured(2).trimmed());
        });
    return replaceMatches(out, gradient, [](const QRegularExpressionMatch &match) {
        QString last;
        for (auto it = colour.globalMatch(match.captured(1)); it.hasNext();)
            last = it.next().captured(0);
        return last.isEmpty() ? QStringLiteral("transparent") : last;
    });
}

// `footer { … }` → `.fl-footer { … }`, in selectors only (the text before each `{`).
QString renameSectioningSelectors(const QString &css)
{
    static const QRegularExpression element(
        QStringLiteral("(?<![\\w.#:-])(main|header|footer|section|article|nav|aside)(?![\\w-])"),
        QRegularExpression::CaseInsensitiveOption);
    QString out;
    qsizetype pos = 0;
    while (pos < css.size()) {
        const qsizetype open = css.indexOf(u'{', pos);
        if (open < 0) {
            out += QStringView(css).mid(pos);
            break;
        }
        const qsizetype close = css.indexOf(u'}', open);
        const qsizetype end = close < 0 ? css.size() : close + 1;
        out += replaceMatches(css.mid(pos, open - pos), element,
            [](const QRegularExpressionMatch &match) { return QStringLiteral(".fl-") + match.captured(1).toLower(); });
        out += QStringView(css).mid(open, end - open);
        pos = end;
    }
    return out;
}

QImage decodeImage(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    // A few hundred bytes of PNG can claim 50000×50000 pixels: check before decoding.
    const QSize size = reader.size();
    if (!size.isValid() || size.width() > SafeTextDocument::kMaxImageSide
        || size.height() > SafeTextDocument::kMaxImageSide)
        return {};
    return reader.read();
}

QImage imageOf(const QVariant &resource)
{
    if (resource.typeId() == QMetaType::QImage)
        return resource.value<QImage>();
    if (resource.typeId() == QMetaType::QPixmap)
        return resource.value<QPixmap>().toImage();
    if (resource.typeId() == QMetaType::QByteArray)
        return decodeImage(resource.toByteArray());
    return {};
}

} // namespace

SafeTextDocument::SafeTextDocument(QObject *parent)
    : QTextDocument(parent)
{
    setUndoRedoEnabled(false);
    installImageHandler();
    connect(this, &QTextDocument::documentLayoutChanged, this, &SafeTextDocument::installImageHandler);
}

void SafeTextDocument::installImageHandler()
{
    // Replaces QTextImageHandler, which loads any src that names a local file itself.
    documentLayout()->registerHandler(QTextFormat::ImageObject, this);
}

QVariant SafeTextDocument::allowedResource(int type, const QUrl &name)
{
    if (name.scheme().compare(QLatin1String("data"), Qt::CaseInsensitive) != 0)
        return {};
    const QByteArray encoded = name.toEncoded();
    const qsizetype comma = encoded.indexOf(',');
    if (comma < 0)
        return {};
    const QByteArray header = encoded.mid(5, comma - 5).toLower(); // after "data:"
    const QByteArray payload = QByteArray::fromPercentEncoding(encoded.mid(comma + 1));
    const QByteArray bytes = header.endsWith(";base64") ? QByteArray::fromBase64(payload) : payload;
    switch (type) {
    case QTextDocument::ImageResource: {
        const QImage image = decodeImage(bytes);
        return image.isNull() ? QVariant() : QVariant(image);
    }
    case QTextDocument::StyleSheetResource:
        if (bytes.size() > kMaxStyleSheetBytes)
            return {};
        return QString::fromUtf8(bytes);
    default:
        return {};
    }
}

QVariant SafeTextDocument::loadResource(int type, const QUrl &name)
{
    // Deliberately not QTextDocument::loadResource: it reads file: and qrc: URLs.
    const QVariant resource = allowedResource(type, name);
    if (resource.isNull())
        emit resourceRefused(name, type);
    return resource;
}

QSizeF SafeTextDocument::intrinsicSize(QTextDocument *doc, int, const QTextFormat &format)
{
    const QTextImageFormat imageFormat = format.toImageFormat();
    const QImage image = imageOf(doc->resource(QTextDocument::ImageResource, QUrl(imageFormat.name())));
    const bool hasWidth = imageFormat.hasProperty(QTextFormat::ImageWidth);
    const bool hasHeight = imageFormat.hasProperty(QTextFormat::ImageHeight);
    QSizeF size(hasWidth ? imageFormat.width() : kPlaceholderSide, hasHeight ? imageFormat.height() : kPlaceholderSide);
    if (!image.isNull()) {
        const QSizeF natural = image.size();
        if (!hasWidth && !hasHeight)
            size = natural;
        else if (!hasWidth)
            size.setWidth(natural.width() * size.height() / std::max<qreal>(1, natural.height()));
        else if (!hasHeight)
            size.setHeight(natural.height() * size.width() / std::max<qreal>(1, natural.width()));
    }
    // width="100000" must not make a page a hundred thousand pixels wide.
    const qreal side = kMaxImageSide;
    return QSizeF(std::clamp<qreal>(size.width(), 0, side), std::clamp<qreal>(size.height(), 0, side));
}

void SafeTextDocument::drawObject(
    QPainter *painter, const QRectF &rect, QTextDocument *doc, int, const QTextFormat &format)
{
    const QImage image = imageOf(doc->resource(QTextDocument::ImageResource, QUrl(format.toImageFormat().name())));
    if (!image.isNull()) {
        painter->save();
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        painter->drawImage(rect, image);
        painter->restore();
        return;
    }
    // Where a refused image would be: an outline, like a browser's broken image.
    painter->save();
    painter->setPen(QPen(QColor(0x9a, 0xa3, 0xad), 1, Qt::DashLine));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
    painter->restore();
}

QString SafeTextDocument::withoutActiveContent(const QString &html)
{
    QString out;
    out.reserve(html.size());
    qsizetype pos = 0;
    while (pos < html.size()) {
        const qsizetype lt = html.indexOf(u'<', pos);
        if (lt < 0) {
            out += QStringView(html).mid(pos);
            break;
        }
        const Stripped *element = strippedAt(html, lt);
        if (!element) {
            out += QStringView(html).mid(pos, lt + 1 - pos);
            pos = lt + 1;
            continue;
        }
        out += QStringView(html).mid(pos, lt - pos);
        qsizetype end = html.indexOf(u'>', lt);
        if (!element->isVoid && end >= 0) {
            const qsizetype close = html.indexOf(QLatin1String("</") + element->name, end, Qt::CaseInsensitive);
            // Unclosed: a browser reads the rest of the file as the element's content too.
            end = close < 0 ? -1 : html.indexOf(u'>', close);
        }
        pos = end < 0 ? html.size() : end + 1;
    }
    return out;
}

QString SafeTextDocument::decodeHtml(const QByteArray &page)
{
    // Honours a BOM or <meta charset>; UTF-8 otherwise, as browsers mostly do now.
    QStringDecoder decoder = QStringDecoder::decoderForHtml(page);
    return decoder.isValid() ? QString(decoder.decode(page)) : QString::fromUtf8(page);
}

QPalette SafeTextDocument::pagePalette(QPalette base)
{
    for (const QPalette::ColorGroup group : { QPalette::Active, QPalette::Inactive, QPalette::Disabled }) {
        base.setColor(group, QPalette::Base, Qt::white);
        base.setColor(group, QPalette::Window, Qt::white);
        base.setColor(group, QPalette::Text, Qt::black);
        base.setColor(group, QPalette::WindowText, Qt::black);
        base.setColor(group, QPalette::Link, QColor(0x00, 0x00, 0xee));
        base.setColor(group, QPalette::LinkVisited, QColor(0x55, 0x1a, 0x8b));
    }
    return base;
}

QString SafeTextDocument::prepareHtml(const QByteArray &page)
{
    return simplifyCss(withoutActiveContent(decodeHtml(page)));
}

QString SafeTextDocument::simplifyCss(const QString &html)
{
    using Match = QRegularExpressionMatch;
    static const QRegularExpression styleBlock(QStringLiteral("(<style\\b[^>]*>)(.*?)(</style\\s*>)"),
        QRegularExpression::DotMatchesEverythingOption | QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression styleAttribute(
        QStringLiteral("(\\bstyle\\s*=\\s*)(\"[^\"]*\"|'[^']*')"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression sectioningTag(
        QStringLiteral("<(/?)(main|header|footer|section|article|nav|aside)\\b([^>]*)>"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression classAttribute(
        QStringLiteral("\\bclass\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))"),
        QRegularExpression::CaseInsensitiveOption);

    // Custom properties from every style block and attribute, last one wins:
    // error pages declare their palette once, on :root.
    QHash<QString, QString> properties;
    for (auto it = styleBlock.globalMatch(html); it.hasNext();)
        collectCustomProperties(it.next().captured(2), &properties);
    for (auto it = styleAttribute.globalMatch(html); it.hasNext();)
        collectCustomProperties(it.next().captured(2), &properties);

    QString out = replaceMatches(html, styleBlock, [&properties](const Match &match) {
        return match.captured(1) + renameSectioningSelectors(simplifyDeclarations(match.captured(2), properties))
            + match.captured(3);
    });
    out = replaceMatches(out, styleAttribute, [&properties](const Match &match) {
        return match.captured(1) + simplifyDeclarations(match.captured(2), properties);
    });
    // QTextDocument treats HTML5 sectioning elements as unknown inline
    // elements; as <div class="fl-main"> they are blocks again and keep their
    // style (their selectors are renamed to match).
    return replaceMatches(out, sectioningTag, [](const Match &match) {
        if (!match.captured(1).isEmpty())
            return QStringLiteral("</div>");
        const QString marker = QStringLiteral("fl-") + match.captured(2).toLower();
        QString attributes = match.captured(3);
        const Match existing = classAttribute.match(attributes);
        if (existing.hasMatch()) {
            const QString classes = existing.captured(1) + existing.captured(2) + existing.captured(3);
            attributes.replace(existing.capturedStart(), existing.capturedLength(),
                QStringLiteral("class=\"%1 %2\"").arg(marker, classes.toHtmlEscaped()));
        } else {
            attributes.prepend(QStringLiteral(" class=\"%1\"").arg(marker));
        }
        return QStringLiteral("<div%1>").arg(attributes);
    });
}

} // namespace faultline
