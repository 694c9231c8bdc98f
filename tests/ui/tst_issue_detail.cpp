// The issue detail as a Sentry user reads it, offscreen on a real database of
// captured SDK events: the summary (users, first/last seen with release, tag
// distribution) shown at once; a tag value listing its events in the Events
// tab; an event opened from that tab; the chart's spans and release markers;
// a theme switch re-colouring a rendered frame; the page preview keeping its
// own colours; and no overlapping widgets at 1000×700 and 1280×720, with a
// window that never resizes itself; two events compared side by side. With FAULTLINE_SCREENSHOT_DIR set, saves
// screenshots of the detail there.
#include "detail_waits.h"
#include "list_waits.h"
#include "screenshots.h"
#include "ui_test_data.h"

#include "storage/storage_gateway.h"
#include "ui/app_settings.h"
#include "ui/event_compare_dialog.h"
#include "ui/event_view.h"
#include "ui/exception_view.h"
#include "ui/fragment_tool_tips.h"
#include "ui/frame_view.h"
#include "ui/issue_detail_view.h"
#include "ui/issue_events_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/main_window.h"
#include "ui/project_overview_view.h"
#include "ui/query_bar.h"
#include "ui/safe_text_browser.h"
#include "ui/stack_trace_view.h"
#include "ui/tag_distribution_view.h"
#include "ui/triage/issue_events_model.h"
#include "ui/triage/issue_list_model.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QToolTip>
#include <QTreeWidget>

using namespace faultline;
using namespace faultline::test;

namespace {

// Pairs of visible sibling widgets under `root` whose rectangles overlap, by name.
QStringList overlaps(QWidget *root)
{
    QStringList found;
    const QList<QWidget *> parents = QList<QWidget *> { root } + root->findChildren<QWidget *>();
    for (QWidget *parent : parents) {
        if (!parent->isVisibleTo(root) && parent != root)
            continue;
        if (qobject_cast<QAbstractScrollArea *>(parent))
            continue; // its viewport and scroll bars are laid out by the style
        QList<QWidget *> children;
        for (QObject *object : parent->children()) {
            auto *child = qobject_cast<QWidget *>(object);
            if (child && !child->isWindow() && child->isVisibleTo(root) && !child->geometry().isEmpty())
                children.append(child);
        }
        for (int i = 0; i < children.size(); ++i)
            for (int j = i + 1; j < children.size(); ++j)
                if (children.at(i)->geometry().intersected(children.at(j)->geometry()).width() > 1
                    && children.at(i)->geometry().intersected(children.at(j)->geometry()).height() > 1)
                    found.append(QStringLiteral("%1 %2 / %3 %4 in %5")
                                     .arg(QString::fromLatin1(children.at(i)->metaObject()->className()),
                                         children.at(i)->objectName(),
                                         QString::fromLatin1(children.at(j)->metaObject()->className()),
                                         children.at(j)->objectName(), parent->objectName()));
    }
    return found;
}

// The detail pane scrolls only vertically, so content wider than its viewport is
// cut off at the right. Names the widgets whose minimum width does not fit where
// they sit (those inside a nested scroll area, such as a frame's source lines, scroll
// sideways on their own and are left out).
QStringList beyondRightEdge(QScrollArea *area)
{
    QStringList found;
    QWidget *content = area->widget();
    const int right = area->viewport()->width();
    if (content->width() <= right + 1)
        return found;
    found.append(QStringLiteral("content %1 px wide in a %2 px viewport").arg(content->width()).arg(right));
    for (QWidget *widget : content->findChildren<QWidget *>()) {
        if (!widget->isVisibleTo(content) || widget->geometry().isEmpty())
            continue;
        bool scrolledByItsOwn = false;
        for (QWidget *up = widget->parentWidget(); up && up != content && !scrolledByItsOwn; up = up->parentWidget())
            scrolledByItsOwn = up->objectName() == u"qt_scrollarea_viewport";
        const int left = widget->mapTo(content, QPoint(0, 0)).x();
        if (scrolledByItsOwn || left + widget->minimumSizeHint().width() <= right + 1
            || !widget->findChildren<QWidget *>(Qt::FindDirectChildrenOnly).isEmpty())
            continue;
        const auto *label = qobject_cast<QLabel *>(widget);
        found.append(QStringLiteral("%1 %2 needs %3 px from x %4: %5")
                         .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName())
                         .arg(widget->minimumSizeHint().width())
                         .arg(left)
                         .arg(label ? label->text().left(60) : QString()));
    }
    return found;
}

} // namespace

class TestIssueDetail : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void summaryShownAtOnce();
    void tagValueListsItsEvents();
    void eventsTabOpensAnEvent();
    void chartSpansAndReleaseMarkers();
    void releaseLabelsKeepClearOfTheirBars();
    void headerWrapsBetweenFacts();
    void headerFactsExplainThemselvesOnHover();
    void themeSwitchRecoloursARenderedFrame();
    void pagePreviewKeepsThePageColours();
    void smallWindowsHaveNoOverlaps_data();
    void smallWindowsHaveNoOverlaps();
    void comparesTwoEventsSideBySide();
    void screenshots();

private:
    std::unique_ptr<MainWindow> openWindow(QSize size = { 1600, 1000 });
    void openTitle(MainWindow &window, const QString &prefix);
    QLabel *openHeaderFacts(MainWindow &window, const QString &prefix);
    void settle(MainWindow &window);

    UiTestDatabase m_data;
    std::unique_ptr<StorageGateway> m_storage; // made by the first window, gone before m_data
};

void TestIssueDetail::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("faultline-ui-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_issue_detail"));
    QSettings().clear();
    QVERIFY(m_data.start());
    QVERIFY(m_data.writeFixtures(QDateTime::currentMSecsSinceEpoch() - 40 * 60'000));
}

std::unique_ptr<MainWindow> TestIssueDetail::openWindow(QSize size)
{
    MainWindowContext context;
    context.dbPath = m_data.path();
    if (!m_storage)
        m_storage = std::make_unique<StorageGateway>(m_data.path());
    context.storage = m_storage.get();
    context.collectorHostPort = QStringLiteral("127.0.0.1:8990");
    auto window = std::make_unique<MainWindow>(context);
    window->resize(size);
    window->show();
    QApplication::setActiveWindow(window.get());
    if (!QTest::qWaitForWindowExposed(window.get()))
        qWarning() << "window not exposed";
    if (!listSettled(*window))
        qWarning() << "the list did not load";
    return window;
}

// The facts under the issue's title (level, counts, first and last seen), laid out at their width.
QLabel *TestIssueDetail::openHeaderFacts(MainWindow &window, const QString &prefix)
{
    openTitle(window, prefix);
    auto *facts = window.detailView()->findChild<QLabel *>(QStringLiteral("issueFacts"));
    if (facts)
        facts->grab();
    return facts;
}

void TestIssueDetail::openTitle(MainWindow &window, const QString &prefix)
{
    // The issue with most events among those titled so (Django's view also divides by zero).
    IssueListModel *model = window.issueModel();
    int best = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data(IssueListModel::TitleRole).toString().startsWith(prefix)
            && (best < 0
                || model->index(r, 0).data(IssueListModel::CountRole).toLongLong()
                    > model->index(best, 0).data(IssueListModel::CountRole).toLongLong()))
            best = r;
    QVERIFY2(best >= 0, qPrintable(QStringLiteral("no issue titled %1").arg(prefix)));
    window.issueView()->selectionModel()->setCurrentIndex(model->index(best, IssueListModel::TitleColumn),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window.openCurrentIssue();
    QVERIFY(detailSettled(window));
    settle(window);
}

void TestIssueDetail::settle(MainWindow &window)
{
    // Layouts settle through chains of posted LayoutRequests (a nested layout's change
    // reaches the scroll area one round later): run them until the event stops changing size.
    EventView *event = window.detailView()->eventView();
    QSize last;
    for (int round = 0; round < 50; ++round) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
        if (round > 2 && event->size() == last)
            break;
        last = event->size();
    }
}

void TestIssueDetail::summaryShownAtOnce()
{
    auto window = openWindow();
    openTitle(*window, QStringLiteral("KeyError"));
    IssueDetailView *detail = window->detailView();
    // The rich Python event: one user (id u-1), release myapp@1.2.3, host pyhost, CPython.
    const QString facts = detail->factsText();
    QVERIFY2(facts.contains(QLatin1String("1 user")), qPrintable(facts));
    // One event: one moment, "seen … in myapp@1.2.3" (first and last seen apart otherwise).
    QVERIFY2(facts.contains(QLatin1String("seen")) && !facts.contains(QLatin1String("first seen"))
            && facts.contains(QLatin1String("in myapp@1.2.3")),
        qPrintable(facts));
    const IssueSummary &summary = detail->summary();
    QCOMPARE(summary.users, 1);
    QVERIFY(summary.tag(QStringLiteral("user")));
    QCOMPARE(summary.tag(QStringLiteral("user"))->top.value(0).value, QStringLiteral("id:u-1"));
    QCOMPARE(summary.tag(QStringLiteral("server_name"))->top.value(0).value, QStringLiteral("pyhost"));
    QCOMPARE(summary.tag(QStringLiteral("runtime"))->top.value(0).value, QStringLiteral("CPython 3.11.2"));
    QCOMPARE(summary.tag(QStringLiteral("tenant"))->top.value(0).value, QStringLiteral("acme"));
    // Shown: one bar per value, 100 % each (every event carried it).
    const QList<TagValueBar *> bars = detail->tagView()->findChildren<TagValueBar *>();
    QVERIFY(bars.size() >= 6);
    for (TagValueBar *bar : bars)
        QCOMPARE(bar->share(), 1.0);
    // Beside the event when the pane has room, else a tab of its own.
    auto *panel = detail->findChild<QScrollArea *>(QStringLiteral("tagPanel"));
    QCOMPARE(detail->tabs()->indexOf(panel) >= 0, detail->width() < IssueDetailView::kSideBySideWidth);
    window->resize(2200, 1000);
    QTRY_VERIFY(detail->width() >= IssueDetailView::kSideBySideWidth);
    QTRY_VERIFY(detail->tagView()->isVisibleTo(window.get()));
    QCOMPARE(detail->tabs()->indexOf(panel), -1);
}

void TestIssueDetail::tagValueListsItsEvents()
{
    auto window = openWindow();
    openTitle(*window, QStringLiteral("ZeroDivisionError"));
    IssueDetailView *detail = window->detailView();
    QCOMPARE(detail->summary().tag(QStringLiteral("release"))->top.value(0).events, 4);
    TagValueBar *release = nullptr;
    for (TagValueBar *bar : detail->tagView()->findChildren<TagValueBar *>())
        if (bar->text() == u"myapp@1.2.3" && bar->parentWidget()->objectName() == u"tag:release")
            release = bar;
    QVERIFY(release);
    QTest::mouseClick(release, Qt::LeftButton);
    QCOMPARE(detail->tabs()->currentWidget(), detail->eventsView());
    QCOMPARE(detail->eventsView()->queryBar()->text(), QStringLiteral("release:myapp@1.2.3"));
    QTRY_COMPARE(detail->eventsView()->model()->rowCount(), 4);
    // A search that matches nothing empties the table, and says so.
    detail->eventsView()->queryBar()->setText(QStringLiteral("release:other"));
    QTRY_COMPARE(detail->eventsView()->model()->rowCount(), 0);
    detail->eventsView()->queryBar()->setText(QString());
    QTRY_COMPARE(detail->eventsView()->model()->rowCount(), 4);
}

void TestIssueDetail::eventsTabOpensAnEvent()
{
    auto window = openWindow();
    openTitle(*window, QStringLiteral("ZeroDivisionError"));
    IssueDetailView *detail = window->detailView();
    detail->tabs()->setCurrentWidget(detail->eventsView());
    IssueEventsModel *model = detail->eventsView()->model();
    QCOMPARE(model->rowCount(), 4);
    // Newest first: row 2 is the second oldest, "event 2 of 4".
    const qint64 rowId = model->index(2, 0).data(IssueEventsModel::RowIdRole).toLongLong();
    QTableView *table = detail->eventsView()->table();
    QTRY_VERIFY(table->isVisible() && table->viewport()->height() > 0);
    const QRect cell = table->visualRect(model->index(2, IssueEventsModel::MessageColumn));
    QVERIFY2(table->viewport()->rect().contains(cell.center()),
        qPrintable(QStringLiteral("%1,%2").arg(cell.x()).arg(cell.y())));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(detail->tabs()->currentIndex(), 0);
    QTRY_COMPARE(detail->eventNumber(), 2);
    QCOMPARE(detail->currentEventRowId(), rowId);
    QCOMPARE(model->index(0, IssueEventsModel::ReleaseColumn).data().toString(), QStringLiteral("myapp@1.2.3"));
    QCOMPARE(model->index(0, IssueEventsModel::LevelColumn).data().toString(), QStringLiteral("error"));
}

void TestIssueDetail::chartSpansAndReleaseMarkers()
{
    auto window = openWindow();
    openTitle(*window, QStringLiteral("ZeroDivisionError"));
    IssueHistogramView *chart = window->detailView()->histogramView();
    QCOMPARE(chart->span(), IssueHistogramView::Span::Day); // younger than a day
    QCOMPARE(chart->histogram().total(), 4);
    QCOMPARE(chart->releaseMarkers().size(), 1);
    QCOMPARE(chart->visibleMarkerLabels(), QStringList { QStringLiteral("myapp@1.2.3") });
    chart->findChild<QAbstractButton *>(QStringLiteral("span90d"))->click();
    QTRY_COMPARE(chart->histogram().range.buckets, 90);
    QCOMPARE(chart->histogram().range.bucketMs, HistogramRange::kDayMs);
    QCOMPARE(chart->histogram().total(), 4);
    chart->findChild<QAbstractButton *>(QStringLiteral("span14d"))->click();
    QTRY_COMPARE(chart->histogram().range.buckets, 14);
    QCOMPARE(chart->histogram().total(), 4);
    // Hovering a bar writes its value on the chart: the newest bar with events (the events
    // span the 3 hours before the test started, so after midnight they may be in two bars).
    const QList<qint64> counts = chart->histogram().counts;
    int newest = int(counts.size()) - 1;
    while (newest > 0 && counts.at(newest) == 0)
        --newest;
    QVERIFY(newest >= 12); // today or yesterday
    const QRect plot = chart->plotRect();
    const QPointF middle(plot.left() + (newest + 0.5) * plot.width() / counts.size(), plot.center().y());
    QMouseEvent move(QEvent::MouseMove, middle, chart->mapToGlobal(middle), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(chart, &move);
    QCOMPARE(chart->hoveredBucket(), newest);
    const qint64 inBar = counts.at(newest);
    QVERIFY2(chart->describeBucket(newest).endsWith(
                 inBar == 1 ? QStringLiteral(": 1 event") : QStringLiteral(": %1 events").arg(inBar)),
        qPrintable(chart->describeBucket(newest)));
}

void TestIssueDetail::releaseLabelsKeepClearOfTheirBars()
{
    // At 1000 px the chart is under 400 px wide: a release of the current hour had its name written
    // left of its line, over the hour's bar, blue on blue, its last letters lost in the bar.
    auto window = openWindow(QSize(1000, 700));
    openTitle(*window, QStringLiteral("ZeroDivisionError"));
    IssueHistogramView *chart = window->detailView()->histogramView();
    QVERIFY2(chart->width() < 420, qPrintable(QString::number(chart->width())));
    Histogram histogram;
    histogram.range = HistogramRange::lastHours(QDateTime::currentMSecsSinceEpoch(), 24);
    histogram.counts = QList<qint64>(24, 0);
    histogram.counts[6] = 2;
    histogram.counts[23] = 2;
    const auto middleOf = [&histogram](int bucket) {
        return histogram.range.startMs + bucket * histogram.range.bucketMs + histogram.range.bucketMs / 2;
    };
    chart->setHistogram(
        histogram, { { middleOf(6), QStringLiteral("myapp@1.2.2") }, { middleOf(23), QStringLiteral("myapp@1.2.3") } });
    const QList<IssueHistogramView::MarkerLabel> labels = chart->markerLabels();
    QCOMPARE(
        chart->visibleMarkerLabels(), QStringList({ QStringLiteral("myapp@1.2.2"), QStringLiteral("myapp@1.2.3") }));
    const QRect plot = chart->plotRect();
    const double slot = double(plot.width()) / 24;
    for (const auto &[label, bucket] : { std::pair { labels.at(0), 6 }, std::pair { labels.at(1), 23 } }) {
        const QRectF bar(plot.left() + bucket * slot, plot.top(), slot, plot.height());
        const QString where = QStringLiteral("%1 at x %2-%3, its bar at %4-%5 in a plot of %6-%7")
                                  .arg(label.text)
                                  .arg(label.rect.left())
                                  .arg(label.rect.right())
                                  .arg(bar.left())
                                  .arg(bar.right())
                                  .arg(plot.left())
                                  .arg(plot.right());
        QVERIFY2(plot.contains(label.rect), qPrintable(where));
        QVERIFY2(!bar.intersects(label.rect), qPrintable(where));
    }
    if (!screenshotDir().isEmpty())
        QVERIFY(chart->grab().save(screenshotDir() + QStringLiteral("/detail_chart_release_now_1000x700.png")));
}

void TestIssueDetail::headerWrapsBetweenFacts()
{
    // At 1000×700 the facts under the title take more than one line; none is cut in two
    // ("first seen 38 min" / "ago in myapp@1.2.3"), and no line starts with the separator.
    auto window = openWindow(QSize(1000, 700));
    QLabel *facts = openHeaderFacts(*window, QStringLiteral("KeyError"));
    QVERIFY(facts);
    const auto *document = facts->findChild<QTextDocument *>();
    QVERIFY(document);
    const QString text = document->toPlainText(); // non-breaking spaces as spaces, one character each
    const auto lineAt = [document](int position) {
        const QTextBlock block = document->findBlock(position);
        return block.blockNumber() * 1000
            + block.layout()->lineForTextPosition(position - block.position()).lineNumber();
    };
    QVERIFY2(lineAt(int(text.size()) - 1) > lineAt(0), qPrintable(text)); // it does wrap here
    QVERIFY2(text.contains(QLatin1String("seen")), qPrintable(text));
    for (int start = int(text.indexOf(QLatin1String("seen"))); start >= 0;
         start = int(text.indexOf(QLatin1String("seen"), start + 1))) {
        const int end = int(text.indexOf(QLatin1String("ago"), start)) + 2;
        QVERIFY2(end > start, qPrintable(text));
        QVERIFY2(lineAt(start) == lineAt(end),
            qPrintable(QStringLiteral("\"%1\" is cut in two in: %2").arg(text.mid(start, end - start + 1), text)));
    }
    const QTextBlock block = document->firstBlock();
    for (int line = 0; line < block.layout()->lineCount(); ++line) {
        const QString starts = text.mid(block.position() + block.layout()->lineAt(line).textStart()).trimmed();
        QVERIFY2(!starts.startsWith(u'·'), qPrintable(starts));
    }
}

void TestIssueDetail::headerFactsExplainThemselvesOnHover()
{
    // "first seen 38 min ago in myapp@1.2.3": resting on the time shows its date, on the release
    // (shortened when long) its full name. QLabel shows no title attribute by itself.
    auto window = openWindow(QSize(1000, 700));
    QLabel *facts = openHeaderFacts(*window, QStringLiteral("KeyError"));
    QVERIFY(facts);
    const QRegularExpression date(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$"));
    QPoint onRelease;
    QPoint onDate;
    QSet<QString> tips;
    for (int y = 0; y < facts->height(); y += 2) {
        for (int x = 0; x < facts->width(); x += 2) {
            const QString tip = fragmentToolTipAt(*facts, QPoint(x, y));
            tips.insert(tip);
            if (tip == u"myapp@1.2.3" && onRelease.isNull())
                onRelease = QPoint(x, y);
            if (date.match(tip).hasMatch() && onDate.isNull())
                onDate = QPoint(x, y);
        }
    }
    QVERIFY2(!onRelease.isNull() && !onDate.isNull(), qPrintable(QStringList(tips.values()).join(u'|')));
    QVERIFY(tips.contains(QString())); // the counts and badges say all they have
    QHelpEvent help(QEvent::ToolTip, onRelease, facts->mapToGlobal(onRelease));
    QCoreApplication::sendEvent(facts, &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), QStringLiteral("myapp@1.2.3"));
    if (!screenshotDir().isEmpty()) {
        QWidget *tip = nullptr;
        for (QWidget *widget : QApplication::topLevelWidgets())
            if (widget->inherits("QTipLabel") && widget->isVisible())
                tip = widget;
        QVERIFY(tip);
        QPixmap shot = window->grab();
        QPainter painter(&shot);
        painter.drawPixmap(window->mapFromGlobal(tip->pos()), tip->grab());
        painter.end();
        QVERIFY(shot.save(screenshotDir() + QStringLiteral("/detail_release_hover_1000x700.png")));
    }
    QToolTip::hideText();
}

void TestIssueDetail::themeSwitchRecoloursARenderedFrame()
{
    const QPalette light = QApplication::palette();
    auto window = openWindow();
    openTitle(*window, QStringLiteral("ZeroDivisionError"));
    EventView *event = window->detailView()->eventView();
    FrameView *frame = event->exceptionView()->stackViews().value(0)->frameViews().value(0);
    QVERIFY(frame && frame->isExpanded());
    QTRY_VERIFY(frame->isVisible() && frame->width() > 100);
    auto *context = frame->findChild<QLabel *>(QStringLiteral("frameContext"));
    QVERIFY(context);
    const QString lightHtml = context->text();
    const QImage lightImage = frame->grab().toImage();
    const QColor lightBackground = lightImage.pixelColor(frame->width() / 2, frame->height() - 4);

    QApplication::setPalette(darkPalette());
    QCoreApplication::processEvents();
    const QImage darkImage = frame->grab().toImage();
    const QColor darkBackground = darkImage.pixelColor(frame->width() / 2, frame->height() - 4);
    QVERIFY2(darkBackground.lightness() < 100 && lightBackground.lightness() > 150,
        qPrintable(QStringLiteral("%1 → %2").arg(lightBackground.name(), darkBackground.name())));
    QVERIFY(context->text() != lightHtml); // the source lines were coloured again for the dark base
    QVERIFY(frame->palette().color(QPalette::Window).lightness() < 100);
    QApplication::setPalette(light);
    QCoreApplication::processEvents();
    QVERIFY(frame->palette().color(QPalette::Window).lightness() > 150);
}

void TestIssueDetail::pagePreviewKeepsThePageColours()
{
    const QPalette light = QApplication::palette();
    QApplication::setPalette(darkPalette());
    SafeTextBrowser browser;
    browser.showPage("<html><body><p>Server error</p></body></html>");
    browser.resize(300, 120);
    const QImage image = browser.grab().toImage();
    QCOMPARE(browser.palette().color(QPalette::Base), QColor(Qt::white));
    QCOMPARE(browser.palette().color(QPalette::Text), QColor(Qt::black));
    QVERIFY(image.pixelColor(browser.width() / 2, browser.height() - 10).lightness() > 240);
    QApplication::setPalette(light);
}

void TestIssueDetail::smallWindowsHaveNoOverlaps_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1000x700") << QSize(1000, 700);
    QTest::newRow("1280x720") << QSize(1280, 720);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

void TestIssueDetail::smallWindowsHaveNoOverlaps()
{
    QFETCH(QSize, size);
    auto window = openWindow(size);
    QCoreApplication::processEvents();
    const QSize before = window->size();
    for (const QString &title : { QStringLiteral("KeyError"), QStringLiteral("RuntimeError: server error page"),
             QStringLiteral("ZeroDivisionError"), QStringLiteral("hello from node") }) {
        openTitle(*window, title);
        QCoreApplication::processEvents();
        QCOMPARE(window->size(), before); // opening an issue never widens the window
        IssueDetailView *detail = window->detailView();
        for (int tab = 0; tab < detail->tabs()->count(); ++tab) {
            detail->tabs()->setCurrentIndex(tab);
            QCoreApplication::processEvents();
            const QStringList found = overlaps(detail);
            QVERIFY2(found.isEmpty(), qPrintable(title + u'\n' + found.join(u'\n')));
        }
        const QStringList cut = beyondRightEdge(detail->scrollArea());
        QVERIFY2(cut.isEmpty(), qPrintable(title + u'\n' + cut.join(u'\n')));
        // The exception's type keeps its line (badges beside it once squeezed it to one letter).
        for (const QLabel *type : detail->findChildren<QLabel *>(QStringLiteral("exceptionType")))
            QVERIFY2(type->width() >= std::min(type->fontMetrics().horizontalAdvance(type->text()),
                         detail->scrollArea()->viewport()->width() - 60),
                qPrintable(title + QStringLiteral(": type label %1 px").arg(type->width())));
        detail->tabs()->setCurrentIndex(0);
    }
    // The header's chart switch stays inside the pane.
    IssueHistogramView *chart = window->detailView()->histogramView();
    for (QAbstractButton *button : chart->findChildren<QAbstractButton *>())
        QVERIFY(chart->rect().contains(button->geometry()));
}

void TestIssueDetail::comparesTwoEventsSideBySide()
{
    auto window = openWindow();
    openTitle(*window, QStringLiteral("ZeroDivisionError")); // the one with most events: four occurrences
    IssueDetailView *detail = window->detailView();
    IssueEventsView *events = detail->eventsView();
    detail->tabs()->setCurrentWidget(events);
    QTRY_VERIFY(events->model()->rowCount() >= 2);
    QVERIFY(!events->compareButton()->isEnabled()); // nothing selected
    events->table()->selectRow(0);
    QVERIFY(!events->compareButton()->isEnabled()); // one is not a comparison
    events->table()->selectionModel()->select(
        events->model()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QVERIFY(events->compareButton()->isEnabled());
    events->compareButton()->click();
    QTRY_VERIFY(detail->findChild<EventCompareDialog *>()); // both events are read first
    auto *dialog = detail->findChild<EventCompareDialog *>();
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->comparison().sameKey, qPrintable(dialog->verdictText()));
    QVERIFY(dialog->verdictText().startsWith(QLatin1String("Same grouping key")));
    QVERIFY(dialog->table()->topLevelItemCount() >= 3); // Grouping, Exception, Tags
    saveLightAndDark(
        QStringLiteral("compare_events"),
        [dialog] {
            QCoreApplication::processEvents();
            return dialog->grab();
        },
        darkPalette());
    dialog->close();
}

void TestIssueDetail::screenshots()
{
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("FAULTLINE_SCREENSHOT_DIR not set");
    QDir().mkpath(dir);
    for (const QSize size : { QSize(1280, 720), QSize(1000, 700), QSize(1920, 1080) }) {
        auto window = openWindow(size);
        openTitle(*window, QStringLiteral("KeyError"));
        QCoreApplication::processEvents();
        QVERIFY(window->grab().save(dir + QStringLiteral("/detail_%1x%2.png").arg(size.width()).arg(size.height())));
        if (size.width() == 1280) {
            IssueDetailView *detail = window->detailView();
            const int tags = detail->tabs()->indexOf(detail->findChild<QScrollArea *>(QStringLiteral("tagPanel")));
            if (tags >= 0)
                detail->tabs()->setCurrentIndex(tags);
            QCoreApplication::processEvents();
            QVERIFY(detail->grab().save(dir + QStringLiteral("/detail_tags.png")));
            openTitle(*window, QStringLiteral("ZeroDivisionError"));
            detail->filterEvents(QStringLiteral("release:myapp@1.2.3"));
            QVERIFY(detailSettled(*detail));
            QVERIFY(detail->grab().save(dir + QStringLiteral("/detail_events_tab.png")));
            detail->tabs()->setCurrentIndex(0);
            detail->histogramView()->findChild<QAbstractButton *>(QStringLiteral("span90d"))->click();
            QTRY_COMPARE(detail->histogramView()->histogram().range.buckets, 90);
            QTest::mouseMove(detail->histogramView(), detail->histogramView()->plotRect().bottomRight() - QPoint(2, 4));
            QCoreApplication::processEvents();
            QVERIFY(detail->histogramView()->grab().save(dir + QStringLiteral("/detail_chart.png")));
            QSignalSpy overviewRead(window->overviewView(), &ProjectOverviewView::refreshed);
            window->centreTabs()->setCurrentWidget(window->overviewView());
            QVERIFY(overviewRead.wait());
            QVERIFY(window->grab().save(dir + QStringLiteral("/overview.png")));
        }
    }
    const QPalette light = QApplication::palette();
    QApplication::setPalette(darkPalette());
    auto window = openWindow(QSize(1280, 720));
    openTitle(*window, QStringLiteral("RuntimeError: server error page"));
    QCoreApplication::processEvents();
    QVERIFY(window->grab().save(dir + QStringLiteral("/detail_dark.png")));
    // Switched at run time, on a window already showing an issue.
    QApplication::setPalette(light);
    QCoreApplication::processEvents();
    openTitle(*window, QStringLiteral("KeyError"));
    QApplication::setPalette(darkPalette());
    QCoreApplication::processEvents();
    QVERIFY(window->grab().save(dir + QStringLiteral("/detail_dark_switched.png")));
    QApplication::setPalette(light);
}

QTEST_MAIN(TestIssueDetail)
#include "tst_issue_detail.moc"
