// The issue detail's widgets on real captured events: the raw traceback as
// Python/V8 print it, folded library frames, source context with the error
// line, locals, breadcrumbs order, validation errors, and the query bar's
// inline errors.
#include "model/event_parser.h"
#include "support/fixture_events.h"
#include "ui/breadcrumbs_view.h"
#include "ui/code_highlight.h"
#include "ui/detail_section.h"
#include "ui/event_view.h"
#include "ui/exception_view.h"
#include "ui/fitted_table.h"
#include "ui/frame_view.h"
#include "ui/http_outcome_view.h"
#include "ui/python_traceback.h"
#include "ui/query_bar.h"
#include "ui/stack_trace_view.h"
#include "ui/validation_table.h"
#include "ui/value_tree.h"

#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>
#include <QTreeWidgetItem>

using namespace faultline;
using namespace faultline::test;

class TestDetailViews : public QObject {
    Q_OBJECT

private slots:
    void pythonTracebackReadsLikePython();
    void nodeStackReadsLikeV8();
    void libraryFramesAreFolded();
    void expandedFrameShowsContextAndLocals();
    void contextIsEscaped();
    void breadcrumbsNewestFirst();
    void localsAreATreeOfReprsAsSent();
    void sourceIsColouredByLanguage();
    void chainWordedAsPython();
    void validationErrorsJoinLoc();
    void queryBarShowsTheBadTerm();
    void queryBarDebouncesGoodQueries();
};

void TestDetailViews::pythonTracebackReadsLikePython()
{
    const Event event = fixtureEvent(QStringLiteral("python_exception_store"));
    QVERIFY(!event.exceptions.isEmpty());
    const QString text = formatTraceback(event);
    QVERIFY2(text.startsWith(QLatin1String("Traceback (most recent call last):\n  File \"")), qPrintable(text));
    QVERIFY2(text.trimmed().endsWith(QLatin1String("ZeroDivisionError: division by zero")), qPrintable(text));
    // One "File" line per frame, with the line number and function, oldest first.
    const Frame &crashing = event.exceptions.last().frames.last();
    QVERIFY(text.contains(QStringLiteral(", line %1, in %2\n").arg(crashing.lineno).arg(crashing.function)));
    QVERIFY(text.contains(QStringLiteral("    ") + crashing.contextLine.trimmed() + QLatin1Char('\n')));
    if (event.exceptions.size() > 1)
        QVERIFY(text.contains(QLatin1String("During handling of the above exception, another exception occurred:")));
}

void TestDetailViews::nodeStackReadsLikeV8()
{
    const Event event = fixtureEvent(QStringLiteral("node_exception_envelope"));
    QVERIFY(!event.exceptions.isEmpty());
    const QString text = formatTraceback(event);
    QVERIFY2(text.startsWith(QLatin1String("Error: boom\n    at ")), qPrintable(text));
    // Newest frame first, as V8 prints it.
    const Frame &crashing = event.exceptions.last().frames.last();
    const QString firstFrame = text.section(QLatin1Char('\n'), 1, 1);
    QVERIFY2(firstFrame.contains(QStringLiteral(":%1:").arg(crashing.lineno)), qPrintable(firstFrame));
}

void TestDetailViews::libraryFramesAreFolded()
{
    const Event event = fixtureEvent(QStringLiteral("django_request_store"));
    QVERIFY(!event.exceptions.isEmpty());
    StackTraceView view;
    view.setFrames(event.exceptions.last().frames);
    view.show();
    const int frames = int(event.exceptions.last().frames.size());
    QCOMPARE(view.frameViews().size(), frames);
    // Django's own frames hide behind "Show N more frames"; app frames and the crashing one show.
    QVERIFY(view.hiddenFrameCount() > 0);
    QPushButton *more = nullptr;
    for (QPushButton *button : view.findChildren<QPushButton *>())
        if (button->isVisible() && button->text().startsWith(QLatin1String("Show ")))
            more = button;
    QVERIFY(more);
    const int hiddenBefore = view.hiddenFrameCount();
    QVERIFY(more->text().contains(QLatin1String("more frame")));
    more->click();
    QVERIFY(view.hiddenFrameCount() < hiddenBefore);
    view.showAllFrames();
    QCOMPARE(view.hiddenFrameCount(), 0);
    // Display order is most recent call first.
    QCOMPARE(view.frameViews().first()->frame().lineno, event.exceptions.last().frames.last().lineno);
    for (FrameView *frame : view.frameViews())
        if (!frame->isInApp())
            QVERIFY(!frame->isExpanded());
}

void TestDetailViews::expandedFrameShowsContextAndLocals()
{
    const Event event = fixtureEvent(QStringLiteral("python_exception_store"));
    StackTraceView view;
    view.setFrames(event.exceptions.last().frames);
    view.show();
    FrameView *expanded = nullptr;
    for (FrameView *frame : view.frameViews())
        if (frame->isExpanded())
            expanded = frame;
    QVERIFY(expanded);
    QVERIFY(expanded->isInApp());
    auto *context = expanded->findChild<QLabel *>(QStringLiteral("frameContext"));
    QVERIFY(context);
    const Frame &frame = expanded->frame();
    QVERIFY(context->text().contains(QStringLiteral(">%1&nbsp;").arg(frame.lineno)));
    // The error line is bold and coloured as Python: "return a / b" has a keyword.
    QVERIFY2(context->text().contains(QStringLiteral("<b>")), qPrintable(context->text()));
    QTextDocument document;
    document.setHtml(context->text());
    QVERIFY(document.toPlainText().contains(frame.contextLine.trimmed()));
    auto *locals = expanded->findChild<ValueTree *>(QStringLiteral("frameLocals"));
    QVERIFY(locals);
    QCOMPARE(locals->topLevelItemCount(), int(frame.vars.size()));
    QVERIFY(locals->height() >= locals->topLevelItemCount() * 10); // rows are not squeezed into a scroller
    expanded->setExpanded(false);
    QVERIFY(!context->isVisible());
}

void TestDetailViews::contextIsEscaped()
{
    Frame frame;
    frame.lineno = 10;
    frame.contextLine = QStringLiteral("if a < b and c > d: <img src=x>");
    frame.preContext = { QStringLiteral("<script>") };
    const QString html = FrameView::contextHtml(frame, QPalette());
    QVERIFY(!html.contains(QLatin1String("<img")));
    QVERIFY(!html.contains(QLatin1String("<script>")));
    QVERIFY(html.contains(QLatin1String("&lt;img src=x&gt;")));
    QVERIFY(html.contains(QLatin1String(">9&nbsp;")));
}

void TestDetailViews::breadcrumbsNewestFirst()
{
    const Event event = fixtureEvent(QStringLiteral("python_rich_event_store"));
    QCOMPARE(event.breadcrumbs.size(), 4);
    BreadcrumbsPanel panel;
    panel.setBreadcrumbs(event.breadcrumbs);
    BreadcrumbsView &view = *panel.table();
    QCOMPARE(view.rowCount(), int(event.breadcrumbs.size()));
    QCOMPARE(view.hiddenCount(), 0);
    QStringList times;
    for (int r = 0; r < view.rowCount(); ++r)
        times.append(view.item(r, BreadcrumbsView::TimeColumn)->text());
    QStringList sorted = times;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    QCOMPARE(times, sorted);
    // The newest is the GET the app made just before the error, said as a request.
    QCOMPARE(view.item(0, BreadcrumbsView::MessageColumn)->text(), QStringLiteral("GET https://api.example.com → 200"));
    QCOMPARE(view.item(0, BreadcrumbsView::DataColumn)->text(), QString());
    QCOMPARE(view.item(1, BreadcrumbsView::MessageColumn)->text(), QStringLiteral("User logged in"));
    QCOMPARE(view.item(1, BreadcrumbsView::CategoryColumn)->text(), QStringLiteral("auth"));
    QCOMPARE(view.item(1, BreadcrumbsView::DataColumn)->text(), QStringLiteral("method=password"));
    QCOMPARE(view.item(3, BreadcrumbsView::MessageColumn)->text(),
        QStringLiteral("POST http://127.0.0.1:9000/api/42/store/ → 200 OK"));
    // Tall enough for every row: the header plus one row height per breadcrumb.
    QVERIFY(view.sizeHint().height() >= (view.rowCount() + 1) * view.fontMetrics().height());

    // Filters: the type (http) and the level.
    QCOMPARE(view.types(), QStringList({ QStringLiteral("auth"), QStringLiteral("http") }));
    QVERIFY(panel.typeFilter()->isVisibleTo(&panel));
    panel.typeFilter()->setCurrentIndex(panel.typeFilter()->findData(QStringLiteral("http")));
    emit panel.typeFilter()->activated(panel.typeFilter()->currentIndex());
    QCOMPARE(view.rowCount(), 3);

    // Older entries wait behind "Show N more".
    QList<Breadcrumb> many;
    for (int i = 0; i < 12; ++i) {
        Breadcrumb crumb;
        crumb.timestamp = 1'700'000'000 + i;
        crumb.message = QStringLiteral("step %1").arg(i);
        many.append(crumb);
    }
    panel.setBreadcrumbs(many);
    QCOMPARE(view.rowCount(), BreadcrumbsView::kCollapsedCount);
    QCOMPARE(view.item(0, BreadcrumbsView::MessageColumn)->text(), QStringLiteral("step 11"));
    QCOMPARE(view.hiddenCount(), 12 - BreadcrumbsView::kCollapsedCount);
    QCOMPARE(panel.moreButton()->text(), QStringLiteral("Show 7 more"));
    QVERIFY(panel.moreButton()->isVisibleTo(&panel));
    panel.moreButton()->click();
    QCOMPARE(view.rowCount(), 12);
    QVERIFY(!panel.moreButton()->isVisibleTo(&panel));
}

void TestDetailViews::localsAreATreeOfReprsAsSent()
{
    // python_exception_store: {"local_str": "'some local'", "local_list": ["1","2","3"],
    // "local_dict": {"k": "'v'", "n": "5"}}, and _meta saying the frame had 21 locals.
    const QJsonObject json = fixtureEventJson(QStringLiteral("python_exception_store"));
    const Event event = fixtureEvent(QStringLiteral("python_exception_store"));
    const Frame &frame = event.exceptions.last().frames.last();
    ValueTree tree(QStringLiteral("Variable"));
    const QJsonObject meta = json.value(QLatin1String("_meta")).toObject();
    tree.setObject(frame.vars, {});
    auto row = [&tree](const QString &name) -> QTreeWidgetItem * {
        const auto found = tree.findItems(name, Qt::MatchExactly, 0);
        return found.isEmpty() ? nullptr : found.first();
    };
    QVERIFY(row(QStringLiteral("local_str")));
    QCOMPARE(row(QStringLiteral("local_str"))->text(1), QStringLiteral("'some local'")); // not "'some local'" in quotes
    QCOMPARE(row(QStringLiteral("local_dict"))->text(1), QStringLiteral("{'k': 'v', 'n': 5}"));
    QCOMPARE(row(QStringLiteral("local_dict"))->childCount(), 2);
    QCOMPARE(row(QStringLiteral("local_list"))->text(1), QStringLiteral("[1, 2, 3]"));
    QVERIFY(!row(QStringLiteral("local_dict"))->isExpanded());
    const int collapsed = tree.sizeHint().height();
    row(QStringLiteral("local_dict"))->setExpanded(true);
    QVERIFY(tree.sizeHint().height() > collapsed); // the pane grows, no inner scroll bar

    // Trimmed by the SDK: {"": {"len": 500}} on a list of 10.
    QJsonArray ten;
    for (int i = 0; i < 10; ++i)
        ten.append(QString::number(i));
    tree.setObject(QJsonObject { { QStringLiteral("rows"), ten } },
        QJsonObject { { QStringLiteral("rows"),
            QJsonObject { { QString(), QJsonObject { { QStringLiteral("len"), 500 } } } } } });
    QVERIFY(row(QStringLiteral("rows"))->text(1).startsWith(QLatin1String("10 of 500")));
    QCOMPARE(row(QStringLiteral("rows"))->childCount(), 11);
    QVERIFY(row(QStringLiteral("rows"))->child(10)->text(1).contains(QLatin1String("490 more")));

    // The frame says how many locals the SDK left out.
    const QJsonObject framesMeta = meta.value(QLatin1String("exception"))
                                       .toObject()
                                       .value(QLatin1String("values"))
                                       .toObject()
                                       .value(QLatin1String("0"))
                                       .toObject()
                                       .value(QLatin1String("stacktrace"))
                                       .toObject()
                                       .value(QLatin1String("frames"))
                                       .toObject();
    QCOMPARE(
        ValueTree::originalLength(framesMeta.value(QLatin1String("0")).toObject().value(QLatin1String("vars"))), 21);
}

void TestDetailViews::sourceIsColouredByLanguage()
{
    QCOMPARE(codeLanguage(QStringLiteral("app/views.py")), CodeLanguage::Python);
    QCOMPARE(codeLanguage(QStringLiteral("/srv/app/server.mjs")), CodeLanguage::JavaScript);
    QCOMPARE(codeLanguage(QStringLiteral("main.go")), CodeLanguage::Plain);
    const QPalette light;
    const QString python
        = highlightedLineHtml(QStringLiteral("    return a / b  # <b> \"x\""), CodeLanguage::Python, light);
    QVERIFY2(python.contains(QLatin1String(">return</span>")), qPrintable(python));
    QVERIFY(python.contains(QLatin1String("># &lt;b&gt; &quot;x&quot;</span>")));
    const QString js = highlightedLineHtml(QStringLiteral("const s = 'a<b'; // done"), CodeLanguage::JavaScript, light);
    QVERIFY2(
        js.contains(QLatin1String(">const</span>")) && js.contains(QLatin1String(">'a&lt;b'</span>")), qPrintable(js));
    QVERIFY(!js.contains(QLatin1String("<b")));
    QCOMPARE(highlightedLineHtml(QStringLiteral("x <y>"), CodeLanguage::Plain, light), QStringLiteral("x &lt;y&gt;"));
}

void TestDetailViews::chainWordedAsPython()
{
    Event event;
    ExceptionValue cause;
    cause.type = QStringLiteral("KeyError");
    cause.value = QStringLiteral("'id'");
    cause.mechanism = Mechanism { QStringLiteral("chained"), false, false, QStringLiteral("__cause__") };
    ExceptionValue raised;
    raised.type = QStringLiteral("LookupFailed");
    raised.value = QStringLiteral("no such order");
    event.exceptions = { cause, raised };
    const QString text = formatPythonTraceback(event.exceptions);
    QVERIFY2(text.contains(QLatin1String("The above exception was the direct cause of the following exception:")),
        qPrintable(text));
    ExceptionView view;
    view.setEvent(event);
    auto *separator = view.findChild<QLabel *>(QStringLiteral("chainSeparator"));
    QVERIFY(separator);
    QVERIFY2(separator->text().contains(QLatin1String("direct cause")), qPrintable(separator->text()));
    QCOMPARE(view.displayedTypes(), QStringList({ QStringLiteral("LookupFailed"), QStringLiteral("KeyError") }));
}

void TestDetailViews::validationErrorsJoinLoc()
{
    Event event;
    ValidationIssue issue;
    issue.loc = { QStringLiteral("body"), QStringLiteral("items"), QStringLiteral("0"), QStringLiteral("email") };
    issue.msg = QStringLiteral("value is not a valid email address");
    issue.type = QStringLiteral("value_error.email");
    issue.input = QStringLiteral("jane@");
    event.validationErrors.append(issue);
    event.http.statusCode = 422;
    event.http.errorBody = QJsonObject { { QStringLiteral("error"), QStringLiteral("invalid <input>") } };
    EventView view;
    view.setEvent(event);
    QVERIFY(view.validationSection()->isVisibleTo(&view));
    QVERIFY(view.outcomeSection()->isVisibleTo(&view));
    QVERIFY(!view.pagesSection()->isVisibleTo(&view)); // pages come from storage, not the JSON
    ValidationTable *table = view.validationTable();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, ValidationTable::LocationColumn)->text(), QStringLiteral("body.items.0.email"));
    QCOMPARE(table->item(0, ValidationTable::InputColumn)->text(), QStringLiteral("jane@"));
    // As tall as its rows: the detail pane scrolls, the table does not.
    QCOMPARE(table->verticalScrollBarPolicy(), Qt::ScrollBarAlwaysOff);
    QVERIFY(table->sizeHint().height() >= 2 * table->verticalHeader()->defaultSectionSize());
    QCOMPARE(view.httpOutcomeView()->statusText(), QStringLiteral("422 Unprocessable Content"));
    QVERIFY(view.httpOutcomeView()->bodyText().contains(QLatin1String("\"error\": \"invalid <input>\"")));

    view.setEvent(Event {});
    QVERIFY(!view.validationSection()->isVisibleTo(&view));
    QVERIFY(!view.outcomeSection()->isVisibleTo(&view));

    // And from a real capture, when the parser found validation errors in it.
    const Event drf = fixtureEvent(QStringLiteral("django_drf_validation_store"));
    if (!drf.validationErrors.isEmpty()) {
        view.setEvent(drf);
        QCOMPARE(view.validationTable()->rowCount(), int(drf.validationErrors.size()));
    }
}

void TestDetailViews::queryBarShowsTheBadTerm()
{
    QueryBar bar;
    bar.show();
    QSignalSpy changed(&bar, &QueryBar::queryChanged);
    bar.setText(QStringLiteral("is:unresolved level:nonsense"));
    QVERIFY(bar.hasError());
    QCOMPARE(bar.errorSpan().start, 14);
    QCOMPARE(bar.errorSpan().length, 14);
    auto *label = bar.findChild<QLabel *>(QStringLiteral("queryError"));
    QVERIFY(label->isVisible());
    QVERIFY(label->text().contains(QLatin1String("level:nonsense")));
    QCOMPARE(changed.size(), 0); // a bad query never reaches the list
    // Enter on the bad query selects the bad term, so typing replaces it.
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
    QCOMPARE(bar.lineEdit()->selectedText(), QStringLiteral("level:nonsense"));
    bar.setText(QStringLiteral("is:unresolved"));
    QVERIFY(!bar.hasError());
    QVERIFY(!label->isVisible());
    QCOMPARE(changed.size(), 1);
}

void TestDetailViews::queryBarDebouncesGoodQueries()
{
    QueryBar bar;
    bar.show();
    QSignalSpy changed(&bar, &QueryBar::queryChanged);
    QTest::keyClicks(bar.lineEdit(), QStringLiteral("level:error"));
    QCOMPARE(changed.size(), 0); // nothing yet: the user is still typing
    QVERIFY(changed.wait(1000));
    QCOMPARE(changed.size(), 1);
    const Query query = changed.first().first().value<Query>();
    QCOMPARE(query.terms.size(), 1);
    QCOMPARE(query.terms.first().field, QueryField::Level);
    bar.appendTerm(QStringLiteral("browser:Chrome 120"));
    QCOMPARE(bar.text(), QStringLiteral("level:error browser:\"Chrome 120\""));
}

QTEST_MAIN(TestDetailViews)
#include "tst_detail_views.moc"
