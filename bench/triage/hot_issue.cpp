#include "operations.h"
#include "paint_probe.h"

#include "bench_common.h"

#include "storage/database.h"
#include "storage/event_queries.h"
#include "storage/issue_histogram.h"
#include "storage/issue_summary.h"
#include "ui/issue_detail_view.h"
#include "ui/issue_events_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/main_window.h"
#include "ui/triage/issue_events_model.h"
#include "ui/triage/issue_list_model.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTableView>

#include <cstdio>
#include <cstdlib>

namespace faultline::bench {

namespace {

double msSince(const QElapsedTimer &timer) { return double(timer.nsecsElapsed()) / 1e6; }

// Runs `act` and waits until `widget` has painted after it; -1 when it never did.
double untilPainted(
    QApplication &app, QWidget *widget, const std::function<void()> &act,
    const std::function<bool()> &done = [] { return true; })
{
    PaintProbe probe(widget);
    QElapsedTimer timer;
    timer.start();
    act();
    const bool painted = spinUntil(app, [&] { return done() && probe.paints() > 0; });
    app.processEvents();
    return painted ? msSince(timer) : -1;
}

QAbstractButton *spanButton(IssueHistogramView *chart, const char *text)
{
    for (QAbstractButton *button : chart->findChildren<QAbstractButton *>())
        if (button->text() == QLatin1String(text))
            return button;
    std::fprintf(stderr, "the chart has no %s button\n", text);
    std::abort();
}

void printRow(const char *what, const std::vector<double> &ui, const std::vector<double> &floor)
{
    const Stats u = summarize(ui);
    const Stats f = summarize(floor);
    std::printf("  %-34s %10.1f %10.1f %10.1f %7.2f\n", what, u.median, u.max, f.median,
        f.median > 0 ? u.median / f.median : 0.0);
}

} // namespace

void measureHotIssue(QApplication &app, MainWindow &window, Database &floorDb, int repeats)
{
    QTableView *view = window.issueView();
    IssueListModel *model = window.issueModel();
    IssueDetailView *detail = window.detailView();
    view->sortByColumn(IssueListModel::EventsColumn, Qt::DescendingOrder);
    spinUntil(app, [model] { return !model->isLoading(); }); // the sort is read on the storage gateway
    const auto hot = model->issueAt(0);
    if (!hot) {
        std::printf("RESULT hot_open_median_ms FAILED (no issue in the list)\n");
        return;
    }
    view->setCurrentIndex(model->index(0, IssueListModel::TitleColumn));
    std::printf("\nthe issue with most events (%lld events): open with its summary, Events tab first page, chart "
                "to 90 d; until repainted (UI) vs the storage reads alone (floor); %d runs each\n",
        hot->count, repeats);
    std::printf("  %-34s %10s %10s %10s %7s\n", "", "UI med ms", "UI max ms", "floor ms", "ratio");

    EventQueries events(floorDb);
    IssueSummaryQueries summaries(floorDb);
    IssueHistogramQueries histograms(floorDb);
    const qint64 issueId = hot->id;
    std::vector<double> openUi, openFloor, tabUi, tabFloor, chartUi, chartFloor;
    for (int i = 0; i < repeats; ++i) {
        detail->clear(); // a fresh open, as when coming from another issue
        spinUntil(
            app, [] { return false; }, 20);
        bool shown = false;
        const auto connection = QObject::connect(detail, &IssueDetailView::eventShown, [&] { shown = true; });
        openUi.push_back(untilPainted(
            app, detail, [&] { window.openCurrentIssue(); },
            [&] { return shown && !detail->summary().tags.isEmpty(); }));
        QObject::disconnect(connection);
        QElapsedTimer timer;
        timer.start();
        summaries.summary(issueId, 10);
        events.countForIssue(issueId);
        openFloor.push_back(msSince(timer));

        IssueEventsView *tab = detail->eventsView();
        detail->tabs()->setCurrentWidget(tab);
        tab->setIssue(0);
        spinUntil(
            app, [] { return false; }, 20);
        tabUi.push_back(untilPainted(
            app, tab->table()->viewport(), [&] { tab->setIssue(issueId); },
            [&] { return tab->model()->rowCount() > 0; }));
        timer.restart();
        events.searchInIssue(issueId, Query {}, IssueEventsModel::kPageSize, 0, QDateTime::currentMSecsSinceEpoch());
        tabFloor.push_back(msSince(timer));

        // As a click does: setSpan() alone moves the switch without reading the new range.
        IssueHistogramView *chart = detail->histogramView();
        spanButton(chart, "24h")->click();
        spinUntil(
            app, [] { return false; }, 20);
        chartUi.push_back(untilPainted(
            app, chart, [&] { spanButton(chart, "90d")->click(); },
            [chart] { return chart->histogram().range.buckets == 90; })); // read on the gateway
        timer.restart();
        histograms.forIssue(issueId,
            IssueHistogramView::rangeFor(IssueHistogramView::Span::NinetyDays, QDateTime::currentMSecsSinceEpoch()));
        chartFloor.push_back(msSince(timer));
    }
    printRow("open (summary, chart, latest event)", openUi, openFloor);
    printRow("Events tab, first page", tabUi, tabFloor);
    printRow("chart 24 h -> 90 d", chartUi, chartFloor);
    view->sortByColumn(IssueListModel::LastSeenColumn, Qt::DescendingOrder);
    std::printf("RESULT hot_issue_events %lld\nRESULT hot_open_median_ms %.1f\nRESULT hot_open_max_ms %.1f\n"
                "RESULT hot_events_tab_median_ms %.1f\nRESULT hot_events_tab_max_ms %.1f\n"
                "RESULT hot_chart_90d_median_ms %.1f\nRESULT hot_chart_90d_max_ms %.1f\n",
        hot->count, summarize(openUi).median, summarize(openUi).max, summarize(tabUi).median, summarize(tabUi).max,
        summarize(chartUi).median, summarize(chartUi).max);
}

} // namespace faultline::bench
