// The triage figures of issue 4 on a large database (see bench/README.md):
//   triage_bench startup --db PATH         start-up to the first painted issue list
//   triage_bench startup-floor             the same for a bare QMainWindow + QTableView
//   triage_bench operations --db PATH --fixtures DIR [--ingest-seconds N] [--rate N] [--repeats N]
//                                          filter changes, opening issues, RSS, GUI stalls under ingest
// Every figure is printed as "RESULT name value" for bench/triage/run to tabulate.
#include "bench_common.h"
#include "hold_key.h"
#include "ingest_stall.h"
#include "operations.h"
#include "paint_probe.h"
#include "startup.h"

#include "collector/collector.h"
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/postgres/pg_uri.h"
#include "storage/storage_gateway.h"
#include "ui/main_window.h"
#include "ui/triage/issue_list_model.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTableView>

#include <cstdio>
#include <cstring>

using namespace faultline;
using namespace faultline::bench;

namespace {

CollectorStatus statusOf(const Collector &collector)
{
    const CollectorStats &stats = collector.stats();
    CollectorStatus status;
    status.acceptedEvents = stats.acceptedEvents.load();
    status.rejectedRequests = stats.rejectedRequests.load();
    status.rateLimited = stats.rateLimited.load();
    status.clientDiscarded = stats.clientDiscarded.load();
    return status;
}

// The window's figures on --db. On a SQLite file the app's writer and collector run beside it (live
// updates wired, the ingest-stall phase possible); on a PostgreSQL URI the window is a viewer, as
// `faultline --db postgresql://…` opens it, and --floor-db names a SQLite file with the same events:
// it picks the queries and issues and gives the SQL floors, so both backends are measured alike.
int runOperations(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("faultline-bench-triage"));
    const QStringList arguments = app.arguments();
    const QString dbPath = argument(arguments, QStringLiteral("--db"));
    const bool postgres = isPostgresUri(dbPath);
    const QString floorPath = argument(arguments, QStringLiteral("--floor-db"), postgres ? QString() : dbPath);
    StallOptions stall;
    stall.fixturesDir = argument(arguments, QStringLiteral("--fixtures"));
    stall.seconds
        = postgres ? 0 : argument(arguments, QStringLiteral("--ingest-seconds"), QStringLiteral("20")).toInt();
    stall.rate = argument(arguments, QStringLiteral("--rate"), QStringLiteral("2000")).toDouble();
    const int repeats = argument(arguments, QStringLiteral("--repeats"), QStringLiteral("5")).toInt();

    QString error;
    auto floorDb = Database::open(floorPath, Database::Mode::ReadOnly, &error);
    if (!floorDb) {
        std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(floorPath), qPrintable(error));
        return 1;
    }
    // The writer and collector exist before the window, as in app/main.cpp, so live updates are wired.
    std::unique_ptr<EventWriter> writer;
    std::unique_ptr<Collector> collector;
    if (!postgres) {
        writer = std::make_unique<EventWriter>(dbPath);
        if (!writer->start(&error)) {
            std::fprintf(stderr, "writer: %s\n", qPrintable(error));
            return 1;
        }
        CollectorOptions collectorOptions;
        collectorOptions.http.port = 0;
        collector = std::make_unique<Collector>(collectorOptions, dbPath, *writer);
        if (!collector->start(&error)) {
            std::fprintf(stderr, "collector: %s\n", qPrintable(error));
            return 1;
        }
    }
    StorageGateway storage(dbPath); // what app/ hands the window
    MainWindowContext context;
    context.dbPath = dbPath;
    context.storage = &storage;
    context.collectorHostPort = collector ? collector->hostPort() : QStringLiteral("127.0.0.1:8990");
    context.writer = writer.get();
    context.collectorStatus = [&collector] { return collector ? statusOf(*collector) : CollectorStatus {}; };
    MainWindow window(context);
    if (!window.openError().isEmpty() || !window.issueView()) {
        std::fprintf(stderr, "window: %s\n", qPrintable(window.openError()));
        return 1;
    }
    IssueListModel *model = window.issueModel();
    PaintProbe firstPaint(window.issueView()->viewport(), [model] { return model->rowCount() > 0; });
    window.show();
    if (!spinUntil(
            app, [&] { return firstPaint.paints() > 0; }, 30'000)) {
        std::fprintf(stderr, "the issue list never painted rows\n");
        return 1;
    }
    std::printf("database: %s, %d issues in the list\n", qPrintable(connectionStringForLog(dbPath)), model->rowCount());

    measureFilters(app, window, *floorDb, repeats);
    measureOpenIssue(app, window, *floorDb, repeats);
    measureHotIssue(app, window, *floorDb, repeats);
    measureHoldNext(app, window);
    std::printf("\nRESULT rss_hwm_mib %.1f\nRESULT rss_now_mib %.1f\n", procStatusMiB("VmHWM"), procStatusMiB("VmRSS"));

    if (stall.seconds > 0) {
        measureIngestStall(app, window, *writer, *collector, *floorDb, stall);
        std::printf("RESULT rss_hwm_after_ingest_mib %.1f\n", procStatusMiB("VmHWM"));
    }
    if (collector)
        collector->stop();
    if (writer)
        writer->stop();
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const char *mode = argc > 1 ? argv[1] : "";
    if (std::strcmp(mode, "startup") == 0)
        return runStartup(argc, argv, sinceMain);
    if (std::strcmp(mode, "startup-floor") == 0)
        return runStartupFloor(argc, argv, sinceMain);
    if (std::strcmp(mode, "operations") == 0)
        return runOperations(argc, argv);
    std::fprintf(stderr, "usage: triage_bench startup|startup-floor|operations --db PATH [--fixtures DIR]\n");
    return 2;
}
