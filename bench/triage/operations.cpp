#include "operations.h"

#include "bench_common.h"
#include "paint_probe.h"

#include "model/event_parser.h"
#include "model/query/query_parser.h"
#include "storage/database.h"
#include "storage/event_queries.h"
#include "storage/issue_queries.h"
#include "ui/issue_detail_view.h"
#include "ui/main_window.h"
#include "ui/query_bar.h"
#include "ui/triage/issue_list_model.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTableView>

#include <cstdio>

namespace faultline::bench {

namespace {

double msSince(const QElapsedTimer &timer) { return double(timer.nsecsElapsed()) / 1e6; }

// The same reads the list needs for a new filter: the count and the first page.
double floorFilterMs(Database &db, const Query &query)
{
    IssueQueries queries(db);
    QElapsedTimer timer;
    timer.start();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    queries.count(query, now);
    IssueListRequest request;
    request.query = query;
    request.limit = IssueListModel::kPageSize;
    request.nowMs = now;
    queries.list(request);
    return msSince(timer);
}

// The reads and the parse opening an issue needs: its event count and latest event.
double floorOpenMs(Database &db, qint64 issueId)
{
    EventQueries queries(db);
    QElapsedTimer timer;
    timer.start();
    queries.countForIssue(issueId);
    const QList<EventRow> rows = queries.forIssue(issueId, 1, 0, true);
    if (!rows.isEmpty())
        (void)parseEventJson(rows.first().rawJson);
    return msSince(timer);
}

QString releaseOfLatestEvent(Database &db)
{
    IssueQueries issues(db);
    EventQueries events(db);
    IssueListRequest request;
    request.limit = 1;
    const QList<IssueRow> top = issues.list(request);
    if (top.isEmpty())
        return {};
    const QList<EventRow> latest = events.forIssue(top.first().id, 1, 0, false);
    return latest.isEmpty() ? QString() : latest.first().release;
}

// Sets the query text and waits until the list has reset and repainted.
double changeFilter(QApplication &app, MainWindow &window, PaintProbe &probe, const QString &text)
{
    bool reset = false;
    const auto connection
        = QObject::connect(window.issueModel(), &QAbstractItemModel::modelReset, [&reset] { reset = true; });
    probe.reset();
    QElapsedTimer timer;
    timer.start();
    window.queryBar()->setText(text);
    const bool done = spinUntil(app, [&] { return reset && probe.paints() > 0; });
    app.processEvents();
    const double ms = msSince(timer);
    QObject::disconnect(connection);
    return done ? ms : -1;
}

} // namespace

bool spinUntil(QApplication &app, const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        app.processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

void measureFilters(QApplication &app, MainWindow &window, Database &floorDb, int repeats)
{
    const QString release = releaseOfLatestEvent(floorDb);
    const QStringList queries = { QStringLiteral("level:error"), QStringLiteral("is:unresolved release:") + release,
        QStringLiteral("customer failed"), QStringLiteral("timeout"), QStringLiteral("tag:region=eu-west-1"),
        QStringLiteral("environment:staging level:fatal"), QStringLiteral("tenant:tenant-42") };
    PaintProbe probe(window.issueView()->viewport());
    std::printf("\nfilter change: query bar text set → model reset → list repainted (UI), vs count + first page of "
                "%d through IssueQueries (floor); %d runs each\n",
        IssueListModel::kPageSize, repeats);
    std::printf("  %-40s %8s %10s %10s %10s %7s\n", "query", "issues", "UI med ms", "UI max ms", "floor ms", "ratio");
    std::vector<double> allUi;
    std::vector<double> allFloor;
    std::vector<double> clearUi;
    for (const QString &text : queries) {
        std::vector<double> ui;
        std::vector<double> floor;
        const Result<Query> parsed = parseQuery(text);
        int rows = 0;
        for (int i = 0; i < repeats; ++i) {
            ui.push_back(changeFilter(app, window, probe, text));
            rows = window.issueModel()->rowCount();
            clearUi.push_back(changeFilter(app, window, probe, QString()));
            if (parsed.ok())
                floor.push_back(floorFilterMs(floorDb, parsed.value()));
        }
        const Stats u = summarize(ui);
        const Stats f = summarize(floor);
        allUi.insert(allUi.end(), ui.begin(), ui.end());
        allFloor.insert(allFloor.end(), floor.begin(), floor.end());
        std::printf("  %-40s %8d %10.1f %10.1f %10.1f %7.2f\n", qPrintable(text), rows, u.median, u.max, f.median,
            f.median > 0 ? u.median / f.median : 0.0);
    }
    const Stats c = summarize(clearUi);
    std::printf("  %-40s %8d %10.1f %10.1f %10s %7s\n", "(cleared: all issues)", window.issueModel()->rowCount(),
        c.median, c.max, "", "");
    // The figures compare query changes with their floor; clearing (no floor of its own) is shown above only.
    const Stats u = summarize(allUi);
    const Stats f = summarize(allFloor);
    std::printf("RESULT filter_median_ms %.1f\nRESULT filter_max_ms %.1f\nRESULT filter_floor_median_ms %.1f\n"
                "RESULT filter_floor_max_ms %.1f\n",
        u.median, u.max, f.median, f.max);
}

void measureOpenIssue(QApplication &app, MainWindow &window, Database &floorDb, int repeats)
{
    QTableView *view = window.issueView();
    IssueListModel *model = window.issueModel();
    IssueDetailView *detail = window.detailView();
    PaintProbe detailProbe(detail);
    std::printf("\nopen issue: openCurrentIssue() → eventShown (loaded) → detail repainted (UI), vs countForIssue + "
                "latest event + parse (floor); %d runs each\n",
        repeats);
    std::printf("  %-10s %6s %9s %10s %10s %10s %10s %7s\n", "sort", "row", "events", "loaded ms", "UI med ms",
        "UI max ms", "floor ms", "ratio");
    struct Pick {
        int column;
        const char *name;
        QList<int> rows;
    };
    const QList<Pick> picks = { { IssueListModel::EventsColumn, "events", { 0, 1, 10, 100 } },
        { IssueListModel::LastSeenColumn, "last seen", { 0, 3, 50, 199 } } };
    std::vector<double> allUi;
    std::vector<double> allFloor;
    for (const Pick &pick : picks) {
        view->sortByColumn(pick.column, Qt::DescendingOrder);
        spinUntil(app, [model] { return !model->isLoading(); }); // the sort is read on the storage gateway
        for (int row : pick.rows) {
            if (row >= model->rowCount())
                continue;
            view->setCurrentIndex(model->index(row, IssueListModel::TitleColumn));
            const auto issue = model->issueAt(row);
            if (!issue)
                continue;
            std::vector<double> ui;
            std::vector<double> loaded;
            std::vector<double> floor;
            for (int i = 0; i < repeats; ++i) {
                detail->clear(); // a fresh open each time, as when coming from another issue
                spinUntil(
                    app, [] { return false; }, 20);
                bool shown = false;
                double shownMs = 0;
                QElapsedTimer timer;
                const auto connection = QObject::connect(detail, &IssueDetailView::eventShown, [&] {
                    shown = true;
                    shownMs = msSince(timer);
                });
                detailProbe.reset();
                timer.start();
                window.openCurrentIssue();
                const bool done = spinUntil(app, [&] { return shown && detailProbe.paints() > 0; });
                app.processEvents();
                ui.push_back(done ? msSince(timer) : -1);
                loaded.push_back(shownMs);
                QObject::disconnect(connection);
                floor.push_back(floorOpenMs(floorDb, issue->id));
            }
            const Stats u = summarize(ui);
            const Stats l = summarize(loaded);
            const Stats f = summarize(floor);
            allUi.insert(allUi.end(), ui.begin(), ui.end());
            allFloor.insert(allFloor.end(), floor.begin(), floor.end());
            std::printf("  %-10s %6d %9lld %10.1f %10.1f %10.1f %10.1f %7.2f\n", pick.name, row, issue->count, l.median,
                u.median, u.max, f.median, f.median > 0 ? u.median / f.median : 0.0);
        }
    }
    view->sortByColumn(IssueListModel::LastSeenColumn, Qt::DescendingOrder);
    const Stats u = summarize(allUi);
    const Stats f = summarize(allFloor);
    std::printf("RESULT open_median_ms %.1f\nRESULT open_max_ms %.1f\nRESULT open_floor_median_ms %.1f\n"
                "RESULT open_floor_max_ms %.1f\n",
        u.median, u.max, f.median, f.max);
}

} // namespace faultline::bench
