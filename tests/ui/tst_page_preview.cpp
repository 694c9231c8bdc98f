// The page preview renders what the user saw (the captured 500.html, the
// example service's real template) and refuses everything a hostile page
// could make it do: read local files, reach the network, run scripts, follow
// links or refreshes, or lay out megabytes.
#include "model/envelope.h"
#include "support/fixtures.h"
#include "ui/page_preview.h"
#include "ui/safe_text_browser.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>

using namespace faultline;
using namespace faultline::test;

namespace {

QByteArray fixturePage()
{
    const auto envelope = parseEnvelope(fixtureBody(QStringLiteral("attachment_html_envelope")));
    if (!envelope)
        return {};
    for (const EnvelopeItem &item : envelope->items)
        if (item.type == QLatin1String("attachment")
            && item.header.value(QLatin1String("filename")).toString() == u"500.html")
            return item.payload;
    return {};
}

// The example service's templates/500.html, with the Django context filled in by hand.
QByteArray examplePage()
{
    QFile file(QStringLiteral(FAULTLINE_TESTS_DIR "/../examples/django_service/templates/500.html"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString html = QString::fromUtf8(file.readAll());
    const QList<QPair<QString, QString>> context {
        { QStringLiteral("service_name"), QStringLiteral("orders-api") },
        { QStringLiteral("request_id"), QStringLiteral("7c1e0f9a2b4d4e6f8a0b1c2d3e4f5a6b") },
        { QStringLiteral("method"), QStringLiteral("GET") },
        { QStringLiteral("path"), QStringLiteral("/reports/average") },
        { QStringLiteral("timestamp"), QStringLiteral("2026-11-25 22:42:36 UTC") },
        { QStringLiteral("status_code"), QStringLiteral("500") },
    };
    for (const auto &[key, value] : context)
        html.replace(QStringLiteral("{{ %1 }}").arg(key), value);
    return html.toUtf8();
}

QByteArray pngDataUrl(QSize size, QColor color)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return "data:image/png;base64," + png.toBase64();
}

// Lays the document out and paints it, so every resource is asked for.
void render(QWidget &widget)
{
    widget.resize(800, 600);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    widget.grab();
}

void saveScreenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(widget.grab().save(dir + u'/' + name));
}

bool hasPixel(const QImage &image, QColor color)
{
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixelColor(x, y) == color)
                return true;
    return false;
}

} // namespace

class TestPagePreview : public QObject {
    Q_OBJECT

private slots:
    void rendersTheCapturedPage();
    void rendersTheExampleTemplate();
    void refusesResources_data();
    void refusesResources();
    void localImageFilesAreNotRead();
    void scriptsAndFramesLeaveNoText_data();
    void scriptsAndFramesLeaveNoText();
    void metaRefreshDoesNothing();
    void hugePageIsTruncatedNotRendered();
    void dataImagesAreAllowed();
    void oversizedImagesAreCapped();
    void linksAreNotFollowed();
    void setSourceDoesNotNavigate();
};

void TestPagePreview::rendersTheCapturedPage()
{
    const QByteArray page = fixturePage();
    QVERIFY(page.contains("<h1>500</h1>"));
    PagePreview preview;
    preview.setPage(page, 500, QStringLiteral("500.html"));
    render(preview);
    QCOMPARE(preview.browser()->document()->toPlainText().trimmed(), QStringLiteral("500"));
    // The heading is a heading, not text: the page's structure made it through.
    QCOMPARE(preview.browser()->document()->begin().blockFormat().headingLevel(), 1);
    QCOMPARE(preview.headerText(), QStringLiteral("HTTP 500 · %1 bytes · 500.html").arg(page.size()));
    QVERIFY(!preview.isTruncated());
    QVERIFY(!preview.isShowingSource());

    preview.setShowingSource(true);
    QVERIFY(preview.isShowingSource());
    QCOMPARE(preview.sourceView()->toPlainText(), QString::fromUtf8(page));
    QVERIFY(preview.sourceView()->isReadOnly());
    saveScreenshot(preview, QStringLiteral("page_preview_fixture_source.png"));
    preview.setShowingSource(false);
    saveScreenshot(preview, QStringLiteral("page_preview_fixture.png"));
}

void TestPagePreview::rendersTheExampleTemplate()
{
    const QByteArray page = examplePage();
    QVERIFY(page.contains("Something went wrong on our side"));
    PagePreview preview;
    preview.setPage(page, 500, QStringLiteral("500.html"));
    render(preview);
    const QString text = preview.browser()->document()->toPlainText();
    QVERIFY(text.contains(QStringLiteral("Something went wrong on our side")));
    QVERIFY(text.contains(QStringLiteral("7c1e0f9a2b4d4e6f8a0b1c2d3e4f5a6b")));
    QVERIFY(!text.contains(QStringLiteral("box-sizing"))); // the <style> is style, not text
    QCOMPARE(preview.browser()->refusedResources(), 0);
    // Its style sheet (custom properties on :root, which Qt's CSS parser would
    // drop the whole sheet for) applies: the big red "500".
    const QTextCharFormat code = preview.browser()->document()->begin().begin().fragment().charFormat();
    QCOMPARE(code.property(QTextFormat::FontPixelSize).toInt(), 64);
    QCOMPARE(code.foreground().color(), QColor(0xff, 0x5c, 0x5c));
    saveScreenshot(preview, QStringLiteral("page_preview_django_500.png"));
}

void TestPagePreview::refusesResources_data()
{
    QTest::addColumn<QByteArray>("html");
    QTest::addColumn<QString>("url");
    QTest::newRow("file image") << QByteArray("<p>x</p><img src=\"file:///dev/zero\">") << "file:///dev/zero";
    // A bare path is loaded by QTextImageHandler itself unless the document draws its own images.
    QTest::newRow("path image") << QByteArray("<p>x</p><img src=\"/dev/zero\">") << "/dev/zero";
    QTest::newRow("http image") << QByteArray("<p>x</p><img src=\"http://127.0.0.1:1/x.png\">")
                                << "http://127.0.0.1:1/x.png";
    QTest::newRow("relative image") << QByteArray("<p>x</p><img src=\"logo.png\">") << "logo.png";
    QTest::newRow("qrc image") << QByteArray(
        "<p>x</p><img src=\"qrc:/qt-project.org/styles/commonstyle/images/file-16.png\">")
                               << "qrc:/qt-project.org/styles/commonstyle/images/file-16.png";
    QTest::newRow("file stylesheet") << QByteArray(
        "<html><head><link rel=\"stylesheet\" type=\"text/css\" href=\"file:///etc/passwd\"></head>"
        "<body><p>x</p></body></html>")
                                     << "file:///etc/passwd";
}

void TestPagePreview::refusesResources()
{
    QFETCH(QByteArray, html);
    QFETCH(QString, url);
    PagePreview preview;
    QSignalSpy refused(preview.browser(), &SafeTextBrowser::resourceRefused);
    preview.setPage(html, 500);
    render(preview);
    QVERIFY(!refused.isEmpty());
    QCOMPARE(refused.first().at(0).toUrl(), QUrl(url));
    QTextDocument *document = preview.browser()->document();
    QVERIFY(document->resource(QTextDocument::ImageResource, QUrl(url)).isNull());
    QVERIFY(document->resource(QTextDocument::StyleSheetResource, QUrl(url)).isNull());
    QCOMPARE(document->toPlainText().trimmed().left(1), QStringLiteral("x"));
    QVERIFY(!document->toPlainText().contains(QStringLiteral("root:")));
}

void TestPagePreview::localImageFilesAreNotRead()
{
    // A real, readable image on disk: QTextBrowser alone would show it.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QImage red(30, 30, QImage::Format_RGB32);
    red.fill(QColor(255, 0, 0));
    const QString path = dir.filePath(QStringLiteral("secret.png"));
    QVERIFY(red.save(path));
    PagePreview preview;
    QSignalSpy refused(preview.browser(), &SafeTextBrowser::resourceRefused);
    preview.setPage(QStringLiteral("<p>x</p><img src=\"%1\"><img src=\"%2\">")
                        .arg(path, QUrl::fromLocalFile(path).toString())
                        .toUtf8(),
        500);
    render(preview);
    QVERIFY(refused.count() >= 2);
    QVERIFY(!hasPixel(preview.browser()->viewport()->grab().toImage(), QColor(255, 0, 0)));
}

void TestPagePreview::scriptsAndFramesLeaveNoText_data()
{
    QTest::addColumn<QByteArray>("html");
    QTest::newRow("script") << QByteArray("<p>before</p><script>document.write('pwned')</script><p>after</p>");
    QTest::newRow("upper case") << QByteArray(
        "<p>before</p><SCRIPT type=\"text/javascript\">pwned()</SCRIPT ><p>after</p>");
    QTest::newRow("iframe") << QByteArray("<p>before</p><iframe src=\"http://evil\">pwned</iframe><p>after</p>");
    QTest::newRow("noscript") << QByteArray("<p>before</p><noscript>pwned</noscript><p>after</p>");
    QTest::newRow("embed") << QByteArray("<p>before</p><embed src=\"http://evil/pwned.swf\"><p>after</p>");
    QTest::newRow("unclosed script") << QByteArray("<p>before</p><p>after</p><script>pwned");
}

void TestPagePreview::scriptsAndFramesLeaveNoText()
{
    QFETCH(QByteArray, html);
    PagePreview preview;
    preview.setPage(html, 500);
    render(preview);
    const QString text = preview.browser()->document()->toPlainText();
    QVERIFY2(!text.contains(QStringLiteral("pwned")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("before")));
    QVERIFY(text.contains(QStringLiteral("after")));
    // The source view still shows everything: that is what the service sent.
    QVERIFY(preview.sourceView()->toPlainText().contains(QStringLiteral("pwned")));
    // A tag that merely starts like one is left alone.
    QCOMPARE(SafeTextDocument::withoutActiveContent(QStringLiteral("<scripted>ok</scripted>")),
        QStringLiteral("<scripted>ok</scripted>"));
}

void TestPagePreview::metaRefreshDoesNothing()
{
    PagePreview preview;
    QSignalSpy navigations(preview.browser(), &SafeTextBrowser::navigationRefused);
    preview.setPage("<html><head><meta http-equiv=\"refresh\" content=\"0;url=http://evil\"></head>"
                    "<body><p>stay here</p></body></html>",
        500);
    render(preview);
    QCoreApplication::processEvents();
    QVERIFY(preview.browser()->document()->toPlainText().contains(QStringLiteral("stay here")));
    QVERIFY(preview.browser()->source().isEmpty());
    QCOMPARE(navigations.count(), 0); // QTextBrowser does not even try
}

void TestPagePreview::hugePageIsTruncatedNotRendered()
{
    QByteArray page = "<html><body><img src=\"file:///dev/zero\"><h1>big</h1>";
    const QByteArray row = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n";
    while (page.size() < 10 * 1024 * 1024)
        page += row;
    PagePreview preview;
    preview.setPage(page, 500, QStringLiteral("500.html"));
    render(preview);
    QVERIFY(preview.isTruncated());
    QVERIFY(preview.noteText().contains(QStringLiteral("not rendered")));
    QVERIFY(preview.noteText().contains(QStringLiteral("10.0 MB")));
    // Shown as text: no HTML was parsed, so nothing was even asked for.
    QCOMPARE(preview.browser()->refusedResources(), 0);
    const QString shown = preview.browser()->document()->toPlainText();
    QVERIFY(shown.startsWith(QStringLiteral("<html><body><img")));
    QVERIFY(shown.size() <= PagePreview::kTruncatedSourceBytes);
    QVERIFY(preview.sourceView()->toPlainText().size() <= PagePreview::kTruncatedSourceBytes);

    // A normal page afterwards is rendered again, without the note.
    preview.setPage("<h1>small</h1>", 500);
    QVERIFY(!preview.isTruncated());
    QVERIFY(preview.noteText().isEmpty());
    QCOMPARE(preview.browser()->document()->toPlainText(), QStringLiteral("small"));
}

void TestPagePreview::dataImagesAreAllowed()
{
    const QByteArray url = pngDataUrl(QSize(40, 30), QColor(255, 0, 0));
    PagePreview preview;
    preview.setPage("<p>logo</p><img src=\"" + url + "\">", 500);
    render(preview);
    QCOMPARE(preview.browser()->refusedResources(), 0);
    const QVariant image
        = preview.browser()->document()->resource(QTextDocument::ImageResource, QUrl(QString::fromLatin1(url)));
    QCOMPARE(image.value<QImage>().size(), QSize(40, 30));
    QVERIFY(hasPixel(preview.browser()->viewport()->grab().toImage(), QColor(255, 0, 0)));
}

void TestPagePreview::oversizedImagesAreCapped()
{
    // Tiny on the wire, a decompression bomb once decoded: refused before decoding.
    const QByteArray bomb = pngDataUrl(QSize(SafeTextDocument::kMaxImageSide + 1, 1), Qt::red);
    QVERIFY(SafeTextDocument::allowedResource(QTextDocument::ImageResource, QUrl(QString::fromLatin1(bomb))).isNull());
    // A small image blown up by attributes is clamped, not laid out 100000 pixels wide.
    const QByteArray small = pngDataUrl(QSize(2, 2), Qt::red);
    PagePreview preview;
    preview.setPage("<img width=\"100000\" height=\"100000\" src=\"" + small + "\">", 500);
    render(preview);
    QVERIFY(preview.browser()->document()->size().width() <= SafeTextDocument::kMaxImageSide + 100);
}

void TestPagePreview::linksAreNotFollowed()
{
    PagePreview preview;
    preview.setPage("<p>Go <a href=\"http://evil/\">back to start</a> now</p>", 500);
    render(preview);
    SafeTextBrowser *browser = preview.browser();
    QSignalSpy clicked(browser, &QTextBrowser::anchorClicked);
    const QString before = browser->document()->toHtml();

    QTextCursor link = browser->document()->find(QStringLiteral("back to start"));
    QVERIFY(!link.isNull());
    link.setPosition(link.selectionStart() + 3);
    const QPoint where = browser->cursorRect(link).center();
    QTest::mouseClick(browser->viewport(), Qt::LeftButton, {}, where);

    QCOMPARE(clicked.count(), 1); // the click did land on the link…
    QCOMPARE(clicked.first().at(0).toUrl(), QUrl(QStringLiteral("http://evil/")));
    QCOMPARE(browser->document()->toHtml(), before); // …and nothing changed
    QVERIFY(browser->source().isEmpty());
    QCOMPARE(preview.lastRefusedLink(), QStringLiteral("http://evil/"));
}

void TestPagePreview::setSourceDoesNotNavigate()
{
    PagePreview preview;
    preview.setPage("<p>original</p>", 500);
    render(preview);
    SafeTextBrowser *browser = preview.browser();
    QSignalSpy refused(browser, &SafeTextBrowser::navigationRefused);
    browser->setSource(QUrl(QStringLiteral("file:///etc/passwd")));
    browser->setSource(QUrl(QStringLiteral("http://evil/")));
    QCOMPARE(refused.count(), 2);
    QCOMPARE(browser->refusedNavigations(), 2);
    QCOMPARE(browser->document()->toPlainText(), QStringLiteral("original"));
    QCOMPARE(preview.lastRefusedLink(), QStringLiteral("http://evil/"));
}

QTEST_MAIN(TestPagePreview)
#include "tst_page_preview.moc"
