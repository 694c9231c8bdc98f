// The Pages view over a real database filled by the real writer (the captured
// 500.html envelope, the example service's 500 page, a 404): the model under
// QAbstractItemModelTester, grouping, thumbnails, selection → preview; and
// the two small event widgets: the validation table and the HTTP outcome.
// The model and the view read on the storage gateway: the tests wait for it.
#include "ui_test_data.h"

#include "dark_palette.h"
#include "screenshots.h"
#include "settle_layouts.h"

#include "support/example_pages.h"

#include "storage/page_queries.h"
#include "storage/storage_gateway.h"
#include "ui/app_settings.h"
#include "ui/http_outcome_view.h"
#include "ui/page_preview.h"
#include "ui/pages_view.h"
#include "ui/safe_text_browser.h"
#include "ui/triage/http_status.h"
#include "ui/triage/pages_model.h"
#include "ui/validation_table.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>

#include <optional>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kBase = 1'760'000'000'000;

// The envelope fixture's event as the collector hands it over, with `attachments`.
IncomingEvent pageEvent(qint64 receivedMs, int copy, const QList<Attachment> &attachments, const QString &release)
{
    IncomingEvent incoming = fixtureIncoming(QStringLiteral("attachment_html_envelope"), receivedMs, copy, 1,
        [&release](QJsonObject &json) { json.insert(QStringLiteral("release"), release); });
    incoming.attachments = attachments;
    return incoming;
}

QString sha256(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

// Its reads (the list, the preview's body, thumbnails asked for) are in.
template<typename ModelOrView> [[nodiscard]] bool settled(const ModelOrView &loading)
{
    return QTest::qWaitFor([&loading]() { return !loading.isLoading(); }, 10'000);
}

QByteArray bodyOf(const PagesModel &model, const QString &sha256)
{
    QObject receiver;
    std::optional<QByteArray> body;
    model.readPageData(sha256, &receiver, [&body](const QByteArray &data) { body = data; });
    return QTest::qWaitFor([&body]() { return body.has_value(); }, 10'000) ? *body : QByteArray();
}

// Where `part` is shown pixel for pixel in `shown`.
std::optional<QPoint> whereShown(const QImage &shown, const QImage &part)
{
    for (int y = 0; y + part.height() <= shown.height(); ++y)
        for (int x = 0; x + part.width() <= shown.width(); ++x)
            if (shown.copy(QRect(QPoint(x, y), part.size())) == part)
                return QPoint(x, y);
    return std::nullopt;
}

void saveScreenshot(PagesView &view, const QString &name)
{
    view.grab(); // lays it out: the view asks for the thumbnails of the rows it shows then
    QVERIFY(settled(view));
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    QApplication::sendPostedEvents();
    if (!dir.isEmpty())
        QVERIFY(view.grab().save(dir + u'/' + name));
}

void saveScreenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    QApplication::sendPostedEvents(); // the layout requests of the last change, so the picture shows it laid out
    if (!dir.isEmpty())
        QVERIFY(widget.grab().save(dir + u'/' + name));
}

} // namespace

class TestPages : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void modelRowsMatchStorage();
    void thumbnailsAreRenderedOnceAndCached();
    void thumbnailShowsThePage();
    void projectFilterAndRefresh();
    void selectingARowShowsItsPage();
    void renderingsAreVariantsOfOnePage();
    void columnsFillTheWidth();
    void selectedRowShowsItsThumbnailAsIs();
    void thumbnailsHaveAnEdge();
    void validationTableShowsEachField();
    void httpOutcomeShowsStatusAndBody();

private:
    UiTestDatabase m_data;
    std::unique_ptr<StorageGateway> m_storage;
    QByteArray m_fixturePage;
    QByteArray m_example500;
    QByteArray m_example500Again; // the same page for the next request: another id and time
    QByteArray m_example404;
};

void TestPages::initTestCase()
{
    QVERIFY(m_data.start());
    const QList<Attachment> captured = fixtureAttachments(QStringLiteral("attachment_html_envelope"));
    QCOMPARE(captured.size(), 1);
    m_fixturePage = captured[0].data;
    m_example500 = exampleServicePage(QStringLiteral("500.html"));
    m_example500Again
        = exampleServicePage(QStringLiteral("500.html"), QStringLiteral("0d3b9e11c5a84f02b7e6a9c1d2f3e4a5"),
            QStringLiteral("/reports/average"), QStringLiteral("2026-11-25 22:43:36 UTC"));
    m_example404 = exampleServicePage(QStringLiteral("404.html"));
    QVERIFY(!m_example500.isEmpty() && !m_example404.isEmpty());
    const auto html = [](const QString &name, const QByteArray &data) {
        return QList<Attachment> { Attachment { name, QStringLiteral("text/html"), QString(), data } };
    };
    // The captured page three times (two releases), the example's 500 page twice,
    // its 404 page once; plus the other fixtures, which carry no pages.
    QList<IncomingEvent> events {
        pageEvent(kBase, 0, captured, QStringLiteral("py@1.0")),
        pageEvent(kBase + 60'000, 1, captured, QStringLiteral("py@1.0")),
        pageEvent(kBase + 120'000, 2, captured, QStringLiteral("py@1.1")),
        pageEvent(
            kBase + 180'000, 3, html(QStringLiteral("500.html"), m_example500), QStringLiteral("orders-api@1.0.0")),
        pageEvent(kBase + 240'000, 4, html(QStringLiteral("500.html"), m_example500Again),
            QStringLiteral("orders-api@1.0.0")),
        pageEvent(
            kBase + 300'000, 5, html(QStringLiteral("404.html"), m_example404), QStringLiteral("orders-api@1.0.0")),
    };
    for (const QString &name : eventFixtureNames())
        if (name != u"attachment_html_envelope")
            events.append(fixtureIncoming(name, kBase - 3'600'000));
    QVERIFY(m_data.write(events));
    m_storage = std::make_unique<StorageGateway>(m_data.path());
}

void TestPages::modelRowsMatchStorage()
{
    PagesModel model(*m_storage);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(settled(model));
    model.setNowMs(kBase + 20 * 60'000);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(PagesModel::ColumnCount));
    QVERIFY(model.lastError().isEmpty());

    // Newest first: the 404, the example's 500, the captured 500.
    QCOMPARE(model.index(0, PagesModel::StatusColumn).data().toString(), QStringLiteral("404"));
    const int captured = model.rowOf(sha256(m_fixturePage), 500);
    QCOMPARE(captured, 2);
    const QModelIndex row = model.index(captured, PagesModel::PageColumn);
    QCOMPARE(row.data(PagesModel::EventsRole).toLongLong(), 3);
    QCOMPARE(row.data(PagesModel::StatusCodeRole).toInt(), 500);
    QCOMPARE(row.data(PagesModel::SizeRole).toLongLong(), m_fixturePage.size());
    QCOMPARE(row.data(PagesModel::FirstSeenRole).toLongLong(), kBase);
    QCOMPARE(row.data(PagesModel::LastSeenRole).toLongLong(), kBase + 120'000);
    QVERIFY(row.data().toString().startsWith(QStringLiteral("500.html\n38 bytes")));
    QCOMPARE(model.index(captured, PagesModel::EventsColumn).data().toString(), QStringLiteral("3"));
    QCOMPARE(model.index(captured, PagesModel::LastSeenColumn).data().toString(), QStringLiteral("18 min ago"));
    QCOMPARE(
        model.index(captured, PagesModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>(), httpStatusColor(500));
    const QString issues = model.index(captured, PagesModel::IssuesColumn).data().toString();
    QVERIFY2(issues.contains(QStringLiteral("RuntimeError: server error page rendered")), qPrintable(issues));
    QVERIFY(model.index(captured, PagesModel::IssuesColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Releases: py@1.0, py@1.1")));
    QCOMPARE(model.page(captured).issueIds.size(), 1);
    QCOMPARE(bodyOf(model, model.page(captured).sha256), m_fixturePage);
}

void TestPages::thumbnailsAreRenderedOnceAndCached()
{
    PagesModel model(*m_storage);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(settled(model));
    const QModelIndex first = model.index(0, PagesModel::PageColumn);
    // Asked for when a view shows the row: a transparent stand-in of the same size until it is
    // rendered off the GUI thread, then the row changes. data() alone renders nothing.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QImage standIn = first.data(Qt::DecorationRole).value<QImage>();
    QCOMPARE(standIn.size(), PagesModel::kThumbnailSize);
    QCOMPARE(standIn.pixelColor(0, 0).alpha(), 0);
    QVERIFY(!model.isLoading());
    model.requestRows(0, 0);
    QVERIFY(model.isLoading());
    QVERIFY(settled(model));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex(), first);
    const QImage image = first.data(Qt::DecorationRole).value<QImage>();
    QVERIFY(!image.isNull());
    QVERIFY(image.width() <= PagesModel::kThumbnailSize.width());
    QVERIFY(image.height() <= PagesModel::kThumbnailSize.height());
    QCOMPARE(image.pixelColor(0, 0).alpha(), 255); // the page, white where it paints nothing
    QCOMPARE(model.thumbnailsRendered(), 1);
    model.refresh();
    QVERIFY(settled(model));
    QCOMPARE(model.index(0, PagesModel::PageColumn).data(Qt::DecorationRole).value<QImage>(), image); // held
    QCOMPARE(model.thumbnailsRendered(), 1); // same hash, same picture
    QVERIFY(!model.index(0, PagesModel::StatusColumn).data(Qt::DecorationRole).isValid());
}

void TestPages::thumbnailShowsThePage()
{
    // The example page is dark (its palette comes through var()): most of the thumbnail is too.
    const QImage dark = PagesModel::renderThumbnail(m_example500);
    int darkPixels = 0;
    for (int y = 0; y < dark.height(); ++y)
        for (int x = 0; x < dark.width(); ++x)
            darkPixels += dark.pixelColor(x, y).lightness() < 60 ? 1 : 0;
    QVERIFY2(darkPixels > dark.width() * dark.height() / 2, qPrintable(QString::number(darkPixels)));
    // Too big to render: a placeholder, not a layout of megabytes.
    const QImage big = PagesModel::renderThumbnail(QByteArray(SafeTextDocument::kMaxRenderBytes + 1, 'x'));
    QVERIFY(!big.isNull());
    // The 38 bytes a real SDK attached: "500" in a heading, laid out narrow enough to read in the
    // thumbnail (at a laptop's width it was four rows of grey specks), not an empty box.
    const auto inkedRows = [](const QImage &image) {
        int rows = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (image.pixelColor(x, y).lightness() < 128) {
                    ++rows;
                    break;
                }
        return rows;
    };
    const QImage tiny
        = PagesModel::renderThumbnail(fixtureAttachments(QStringLiteral("attachment_html_envelope")).value(0).data);
    QVERIFY2(inkedRows(tiny) >= 10, qPrintable(QString::number(inkedRows(tiny))));
    // Under a dark desktop palette the page is still black on white, as its browser showed it.
    const QPalette light = QGuiApplication::palette();
    QGuiApplication::setPalette(test::darkTestPalette());
    const QImage tinyDark
        = PagesModel::renderThumbnail(fixtureAttachments(QStringLiteral("attachment_html_envelope")).value(0).data);
    QGuiApplication::setPalette(light);
    QCOMPARE(inkedRows(tinyDark), inkedRows(tiny));
    // A page with nothing to show says so rather than staying white.
    const QImage blank = PagesModel::renderThumbnail("<html><body> </body></html>");
    QVERIFY(inkedRows(blank) >= 10);
    QVERIFY(blank.pixelColor(2, 2) != QColor(Qt::white));
}

void TestPages::projectFilterAndRefresh()
{
    PagesModel model(*m_storage);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProject(1);
    QVERIFY(settled(model));
    QCOMPARE(model.rowCount(), 3);
    model.setProject(4242);
    QVERIFY(settled(model));
    QCOMPARE(model.rowCount(), 0);
    model.setProject(0);
    QVERIFY(settled(model));
    QCOMPARE(model.rowCount(), 3);

    // A new page arrives; refresh shows it.
    const QByteArray gateway = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    QVERIFY(m_data.write({ pageEvent(kBase + 400'000, 6,
        { Attachment { QStringLiteral("502.html"), QStringLiteral("text/html"), {}, gateway } }, QString()) }));
    model.refresh();
    QVERIFY(settled(model));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowOf(sha256(gateway), 502), 0);
}

void TestPages::selectingARowShowsItsPage()
{
    PagesView view(*m_storage);
    view.resize(1200, 640);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(settled(view));
    QSignalSpy activated(&view, &PagesView::issueActivated);

    const int example = view.model()->rowOf(sha256(m_example500), 500);
    QVERIFY(example >= 0);
    view.table()->selectRow(example);
    QCOMPARE(view.table()->currentIndex().row(), example);
    QVERIFY(settled(view));
    QVERIFY(view.preview()->browser()->document()->toPlainText().contains(
        QStringLiteral("Something went wrong on our side")));
    QVERIFY(view.preview()->headerText().startsWith(QStringLiteral("HTTP 500")));
    QVERIFY(view.contextText().contains(QStringLiteral("2 event(s)")));
    QVERIFY(view.contextText().contains(QStringLiteral("orders-api@1.0.0")));

    const int captured = view.model()->rowOf(sha256(m_fixturePage), 500);
    view.selectRow(captured);
    QVERIFY(settled(view));
    QCOMPARE(view.preview()->browser()->document()->toPlainText().trimmed(), QStringLiteral("500"));
    view.refresh(); // the selection stays on the same page
    QVERIFY(settled(view));
    QCOMPARE(view.table()->currentIndex().row(), view.model()->rowOf(sha256(m_fixturePage), 500));

    const QPoint cell = view.table()->visualRect(view.model()->index(captured, PagesModel::EventsColumn)).center();
    QTest::mouseClick(view.table()->viewport(), Qt::LeftButton, {}, cell); // a double click starts with a press
    QTest::mouseDClick(view.table()->viewport(), Qt::LeftButton, {}, cell);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().at(0).toLongLong(), view.model()->page(captured).issueIds.last());

    view.model()->setNowMs(kBase + 30 * 60'000);
    view.refresh();
    QVERIFY(settled(view));
    view.selectRow(view.model()->rowOf(sha256(m_example500), 500));
    saveScreenshot(view, QStringLiteral("pages_view.png"));
}

void TestPages::renderingsAreVariantsOfOnePage()
{
    PagesView view(*m_storage);
    view.model()->setNowMs(kBase + 30 * 60'000);
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(settled(view));
    // Two requests, two request ids and times: one page, two variants, newest shown.
    const int row = view.model()->rowOf(sha256(m_example500), 500);
    QVERIFY(row >= 0);
    QCOMPARE(view.model()->rowOf(sha256(m_example500Again), 500), row);
    const QModelIndex pageCell = view.model()->index(row, PagesModel::PageColumn);
    QCOMPARE(pageCell.data(PagesModel::VariantsRole).toInt(), 2);
    QVERIFY(pageCell.data().toString().contains(QStringLiteral("2 variant(s)")));
    QCOMPARE(view.model()->page(row).events, 2);
    view.selectRow(row);
    QVERIFY(settled(view));
    QVERIFY(view.variantPicker()->isVisible());
    QCOMPARE(view.variantPicker()->count(), 2);
    const auto shown = [&view]() { return view.preview()->browser()->document()->toPlainText(); };
    QVERIFY(shown().contains(QStringLiteral("0d3b9e11c5a84f02b7e6a9c1d2f3e4a5")));
    view.variantPicker()->setCurrentIndex(1);
    emit view.variantPicker()->activated(1);
    QVERIFY(settled(view));
    QVERIFY(shown().contains(QStringLiteral("7c1e0f9a2b4d4e6f8a0b1c2d3e4f5a6b")));

    // The issues it was shown with are links that open the issue.
    QLabel *context = nullptr;
    for (QLabel *label : view.findChildren<QLabel *>())
        if (label->text().contains(QLatin1String("href=\"issue:")))
            context = label;
    QVERIFY(context);
    const qint64 issue = view.model()->page(row).issueIds.first();
    QVERIFY(context->text().contains(QStringLiteral("href=\"issue:%1\"").arg(issue)));
    QSignalSpy activated(&view, &PagesView::issueActivated);
    emit context->linkActivated(QStringLiteral("issue:%1").arg(issue));
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().at(0).toLongLong(), issue);
    // At 1000 px the list has no room for a readable Issues column: it goes, the links above stay.
    QHeaderView *header = view.table()->horizontalHeader();
    QTRY_VERIFY(header->isSectionHidden(PagesModel::IssuesColumn));
    // Wider, it comes back at a readable width: underlined in the link colour, a click opens the newest.
    view.resize(1400, 700);
    QTRY_VERIFY(!header->isSectionHidden(PagesModel::IssuesColumn));
    QVERIFY(header->sectionSize(PagesModel::IssuesColumn) >= PagesView::kIssuesColumnMinWidth);
    const QModelIndex issuesCell = view.model()->index(row, PagesModel::IssuesColumn);
    QVERIFY(issuesCell.data(Qt::FontRole).value<QFont>().underline());
    QTest::mouseClick(view.table()->viewport(), Qt::LeftButton, {}, view.table()->visualRect(issuesCell).center());
    QCOMPARE(activated.count(), 2);
    QCOMPARE(activated.last().at(0).toLongLong(), view.model()->page(row).issueIds.last());
    view.resize(1000, 700);
    QTRY_VERIFY(header->isSectionHidden(PagesModel::IssuesColumn));

    // A page with one rendering has nothing to pick.
    view.selectRow(view.model()->rowOf(sha256(m_example404), 404));
    QVERIFY(!view.variantPicker()->isVisible());
    view.selectRow(row);
    saveScreenshot(view, QStringLiteral("pages_view_1000x700.png"));

    const QPalette light = QApplication::palette();
    QApplication::setPalette(darkPalette()); // the app's own dark theme
    {
        PagesView darkView(*m_storage);
        darkView.model()->setNowMs(kBase + 30 * 60'000);
        darkView.resize(1000, 700);
        darkView.show();
        QVERIFY(QTest::qWaitForWindowExposed(&darkView));
        QVERIFY(settled(darkView));
        darkView.selectRow(darkView.model()->rowOf(sha256(m_example500), 500));
        saveScreenshot(darkView, QStringLiteral("pages_view_dark.png"));
    }
    QApplication::setPalette(light);
}

void TestPages::columnsFillTheWidth()
{
    // Narrow, the Issues column goes and the columns left take its room; wide, it stretches. No strip
    // of empty header at the list's right edge either way.
    const auto open = [this](QSize size) {
        auto view = std::make_unique<PagesView>(*m_storage);
        view->model()->setNowMs(kBase + 30 * 60'000);
        view->resize(size);
        view->show();
        return view;
    };
    const auto shownAt = [this, &open](QSize size) {
        auto view = open(size);
        if (!settled(*view) || !settleLayouts(view.get()))
            return std::unique_ptr<PagesView>();
        view->selectRow(view->model()->rowOf(sha256(m_example500), 500)); // two variants, and its context
        return settled(*view) && settleLayouts(view.get()) ? std::move(view) : std::unique_ptr<PagesView>();
    };
    for (const QSize size : { QSize(1000, 700), QSize(1600, 1000) }) {
        const auto view = shownAt(size);
        QVERIFY(view);
        QHeaderView *header = view->table()->horizontalHeader();
        QCOMPARE(header->isSectionHidden(PagesModel::IssuesColumn), size.width() == 1000);
        QCOMPARE(header->length(), view->table()->viewport()->width());
    }
    // The same view widened and narrowed again: the column stretched meanwhile does not keep the
    // Issues column out.
    const auto view = shownAt(QSize(1000, 700));
    QVERIFY(view);
    QHeaderView *header = view->table()->horizontalHeader();
    for (const QSize size : { QSize(1600, 1000), QSize(1000, 700), QSize(1600, 1000) }) {
        view->resize(size);
        QVERIFY(settleLayouts(view.get()));
        QTRY_COMPARE(header->isSectionHidden(PagesModel::IssuesColumn), size.width() == 1000);
        QTRY_COMPARE(header->length(), view->table()->viewport()->width());
    }
    shootLightAndDark([&](const ThemedShots &shots) {
        for (const QSize size : { QSize(1000, 700), QSize(1600, 1000) }) {
            const auto view = shownAt(size);
            QVERIFY(view);
            QVERIFY(shots.save(QStringLiteral("pages_view_%1x%2").arg(size.width()).arg(size.height()), view->grab()));
        }
    });
}

void TestPages::selectedRowShowsItsThumbnailAsIs()
{
    // The style blends a selected row's picture with the selection colour: a white page turned light
    // blue. The thumbnail is shown pixel for pixel as rendered, the selection around it, in light and dark.
    const auto check = [this](QSize size, const ThemedShots *shots) {
        PagesView view(*m_storage);
        view.model()->setNowMs(kBase + 30 * 60'000);
        view.resize(size);
        view.show();
        QVERIFY(settled(view) && settleLayouts(&view));
        const int white = view.model()->rowOf(sha256(m_fixturePage), 500); // "500" in black on white
        view.selectRow(white);
        QVERIFY(settled(view) && settleLayouts(&view));
        QTableView *table = view.table();
        const QModelIndex cell = view.model()->index(white, PagesModel::PageColumn);
        const QImage thumbnail = cell.data(Qt::DecorationRole).value<QImage>().convertToFormat(QImage::Format_RGB32);
        QCOMPARE(thumbnail.pixelColor(thumbnail.width() - 2, thumbnail.height() - 2), QColor(Qt::white));
        const QImage shown
            = table->viewport()->grab(table->visualRect(cell)).toImage().convertToFormat(QImage::Format_RGB32);
        const std::optional<QPoint> at = whereShown(shown, thumbnail);
        QVERIFY2(at, "the selected row does not show the thumbnail as rendered");
        const QPalette::ColorGroup group = table->isActiveWindow() ? QPalette::Active : QPalette::Inactive;
        QCOMPARE(shown.pixelColor(at->x() + thumbnail.width() / 2, at->y() - 2),
            table->palette().color(group, QPalette::Highlight));
        if (shots)
            QVERIFY(shots->save(
                QStringLiteral("pages_view_white_page_%1x%2").arg(size.width()).arg(size.height()), view.grab()));
    };
    const QPalette light = QApplication::palette();
    for (const QPalette &palette : { light, test::darkTestPalette() }) {
        QApplication::setPalette(palette);
        check(QSize(1000, 700), nullptr);
        if (QTest::currentTestFailed())
            break;
    }
    QApplication::setPalette(light);
    if (QTest::currentTestFailed())
        return;
    shootLightAndDark([&](const ThemedShots &shots) {
        for (const QSize size : { QSize(1000, 700), QSize(1600, 1000) })
            check(size, &shots);
    });
}

void TestPages::thumbnailsHaveAnEdge()
{
    // A white page on the light list's white rows, a dark page on the dark list's: a thin frame of
    // the palette's colours shows where the thumbnail ends, on every side.
    const QPalette light = QApplication::palette();
    for (const QPalette &palette : { light, test::darkTestPalette() }) {
        QApplication::setPalette(palette);
        PagesView view(*m_storage);
        view.model()->setNowMs(kBase + 30 * 60'000);
        view.resize(1000, 700);
        view.show();
        QVERIFY(settled(view) && settleLayouts(&view));
        const int white = view.model()->rowOf(sha256(m_fixturePage), 500);
        view.selectRow(white == 0 ? 1 : 0);
        QVERIFY(settled(view) && settleLayouts(&view));
        QTableView *table = view.table();
        const QModelIndex cell = view.model()->index(white, PagesModel::PageColumn);
        const QImage thumbnail = cell.data(Qt::DecorationRole).value<QImage>().convertToFormat(QImage::Format_RGB32);
        const QImage shown
            = table->viewport()->grab(table->visualRect(cell)).toImage().convertToFormat(QImage::Format_RGB32);
        const std::optional<QPoint> at = whereShown(shown, thumbnail);
        QVERIFY2(at, "the thumbnail is not shown as rendered");
        const QRect drawn(*at, thumbnail.size());
        const QColor row = table->palette().color(QPalette::Base);
        const QPoint middle = drawn.center();
        for (const QPoint edge : { QPoint(drawn.left() - 1, middle.y()), QPoint(drawn.right() + 1, middle.y()),
                 QPoint(middle.x(), drawn.top() - 1), QPoint(middle.x(), drawn.bottom() + 1) }) {
            const QColor pixel = shown.pixelColor(edge);
            QVERIFY2(std::abs(pixel.lightness() - row.lightness()) >= 40,
                qPrintable(QStringLiteral("%1 at %2,%3 on rows of %4")
                               .arg(pixel.name())
                               .arg(edge.x())
                               .arg(edge.y())
                               .arg(row.name())));
        }
        if (QTest::currentTestFailed())
            break;
    }
    QApplication::setPalette(light);
}

void TestPages::validationTableShowsEachField()
{
    const Event event = fixtureEvent(QStringLiteral("pydantic_validation_store"));
    QCOMPARE(event.validationErrors.size(), 2);
    ValidationTable table;
    table.setIssues(event.validationErrors);
    QCOMPARE(table.rowCount(), 2);
    QCOMPARE(table.columnCount(), int(ValidationTable::ColumnCount));
    QStringList locations;
    for (int row = 0; row < table.rowCount(); ++row)
        locations.append(table.item(row, ValidationTable::LocationColumn)->text());
    QCOMPARE(locations, (QStringList { QStringLiteral("quantity"), QStringLiteral("email") }));
    QCOMPARE(table.item(0, ValidationTable::MessageColumn)->text(), QStringLiteral("value is not a valid integer"));
    QCOMPARE(table.item(0, ValidationTable::TypeColumn)->text(), QStringLiteral("type_error.integer"));

    ValidationIssue nested { { QStringLiteral("body"), QStringLiteral("items"), QStringLiteral("0"),
                                 QStringLiteral("qty") },
        QStringLiteral("ensure this value is greater than 0\n(got -1)"), QStringLiteral("value_error.number.not_gt"),
        QStringLiteral("-1") };
    table.setIssues({ nested, ValidationIssue { {}, QStringLiteral("Invalid input"), QStringLiteral("invalid"), {} } });
    QCOMPARE(table.rowCount(), 2);
    QCOMPARE(table.item(0, ValidationTable::LocationColumn)->text(), QStringLiteral("body.items.0.qty"));
    // Multi-line messages (Pydantic) show on one line; the whole text is in the tooltip.
    QCOMPARE(table.item(0, ValidationTable::MessageColumn)->text(),
        QStringLiteral("ensure this value is greater than 0 ⏎ (got -1)"));
    QCOMPARE(table.item(0, ValidationTable::MessageColumn)->toolTip(), nested.msg);
    QCOMPARE(table.fullText(0, ValidationTable::MessageColumn), nested.msg);
    QCOMPARE(table.item(0, ValidationTable::InputColumn)->text(), QStringLiteral("-1"));
    QCOMPARE(table.item(1, ValidationTable::LocationColumn)->text(), QStringLiteral("(whole request)"));

    table.setIssues(event.validationErrors);
    table.resize(720, 140);
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    saveScreenshot(table, QStringLiteral("validation_table.png"));
}

void TestPages::httpOutcomeShowsStatusAndBody()
{
    HttpOutcomeView view;
    const QJsonObject body { { QStringLiteral("error"), QStringLiteral("Request validation failed") },
        { QStringLiteral("status_code"), 422 },
        { QStringLiteral("details"),
            QJsonArray { QJsonObject { { QStringLiteral("loc"), QJsonArray { QStringLiteral("email") } },
                { QStringLiteral("msg"), QStringLiteral("not a valid email address") } } } } };
    QVERIFY(view.setOutcome(HttpOutcome { 422, body }));
    QCOMPARE(view.statusText(), QStringLiteral("422 Unprocessable Content"));
    const QString text = view.bodyText();
    QVERIFY(text.startsWith(u'{'));
    QVERIFY(text.contains(QStringLiteral("\n    \"error\": \"Request validation failed\""))); // indented
    QVERIFY(text.contains(QStringLiteral("\"status_code\": 422")));

    QCOMPARE(httpStatusColor(200), httpStatusColor(204));
    QVERIFY(httpStatusColor(404) != httpStatusColor(500));
    QVERIFY(httpStatusColor(302) != httpStatusColor(404));
    QCOMPARE(HttpOutcomeView::prettyBody(QJsonValue(QStringLiteral("plain text"))), QStringLiteral("plain text"));
    QCOMPARE(HttpOutcomeView::prettyBody(QJsonValue(42)), QStringLiteral("42"));
    QCOMPARE(HttpOutcomeView::prettyBody(QJsonValue(QJsonValue::Null)), QStringLiteral("null"));

    QVERIFY(view.setOutcome(HttpOutcome { 599, QJsonValue() }));
    QCOMPARE(view.statusText(), QStringLiteral("599"));
    QVERIFY(!view.setOutcome(HttpOutcome {}));
    QVERIFY(view.statusText().isEmpty());
    QVERIFY(view.bodyText().isEmpty());

    view.setOutcome(HttpOutcome { 422, body });
    view.resize(520, 260);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    saveScreenshot(view, QStringLiteral("http_outcome.png"));
}

QTEST_MAIN(TestPages)
#include "tst_pages.moc"
