#include "startup.h"

#include "bench_common.h"
#include "paint_probe.h"

#include "storage/storage_gateway.h"
#include "ui/main_window.h"
#include "ui/triage/issue_list_model.h"

#include <QApplication>
#include <QMainWindow>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>

#include <cstdio>

namespace faultline::bench {

namespace {

// Runs the event loop until `probe` saw a counted paint and the loop came back
// (the paint is done then), or 30 s passed. Prints the RESULT lines.
int finish(QApplication &app, PaintProbe &probe, const QElapsedTimer &sinceMain, const char *name, int rows)
{
    QElapsedTimer timeout;
    timeout.start();
    while (probe.paints() == 0 && timeout.elapsed() < 30'000)
        app.processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    app.processEvents(); // the rest of the paint's frame (flush) runs before we stop the clock
    const double ms = double(sinceMain.nsecsElapsed()) / 1e6;
    const double uptimeMs = processUptimeSeconds() * 1000.0;
    if (probe.paints() == 0) {
        std::printf("RESULT %s_ms FAILED (no painted rows after 30 s)\n", name);
        return 1;
    }
    std::printf(
        "RESULT %s_ms %.1f\nRESULT %s_uptime_ms %.0f\nRESULT %s_rows %d\n", name, ms, name, uptimeMs, name, rows);
    return 0;
}

} // namespace

int runStartup(int argc, char **argv, const QElapsedTimer &sinceMain)
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("faultline-bench-triage"));
    const QString dbPath = argument(app.arguments(), QStringLiteral("--db"));
    StorageGateway storage(dbPath); // what app/ hands the window
    MainWindowContext context;
    context.dbPath = dbPath;
    context.storage = &storage;
    context.collectorHostPort = QStringLiteral("127.0.0.1:8990");
    context.collectorStatus = [] { return CollectorStatus {}; };
    MainWindow window(context);
    if (!window.openError().isEmpty() || !window.issueView()) {
        std::printf("RESULT startup_ms FAILED (%s)\n", qPrintable(window.openError()));
        return 1;
    }
    const double constructedMs = double(sinceMain.nsecsElapsed()) / 1e6;
    IssueListModel *model = window.issueModel();
    PaintProbe probe(window.issueView()->viewport(), [model] { return model->rowCount() > 0; });
    window.show();
    const int code = finish(app, probe, sinceMain, "startup", model->rowCount());
    std::printf("RESULT startup_constructed_ms %.1f\n", constructedMs);
    return code;
}

int runStartupFloor(int argc, char **argv, const QElapsedTimer &sinceMain)
{
    QApplication app(argc, argv);
    QMainWindow window;
    auto *model = new QStandardItemModel(200, 6, &window);
    for (int row = 0; row < 200; ++row)
        for (int column = 0; column < 6; ++column)
            model->setItem(row, column, new QStandardItem(QStringLiteral("row %1 column %2").arg(row).arg(column)));
    auto *view = new QTableView(&window);
    view->setModel(model);
    window.setCentralWidget(view);
    window.resize(1500, 900);
    PaintProbe probe(view->viewport());
    window.show();
    return finish(app, probe, sinceMain, "startup_floor", model->rowCount());
}

} // namespace faultline::bench
