// bench/pg_copy: `faultline db copy` moving the same SQLite database into
// fresh PostgreSQL databases on one server, its rows as multi-row INSERTs (the
// way before) and as binary COPY, alternating (INSERT, COPY, COPY, INSERT for
// four targets) so a drift in the machine's load weighs on both alike. Prints
// each run and COPY's rate as a ratio to INSERT's; exits 1 when a copy failed
// or its row counts differ.
//
//   pg_copy_bench SOURCE.db URI…   (an even number of empty databases)
#include "storage/database.h"
#include "storage/postgres/pg_copy.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace faultline;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4 || (args.size() - 2) % 2 != 0) {
        std::fprintf(stderr, "usage: pg_copy_bench SOURCE.db URI URI [URI URI …]\n");
        return 2;
    }
    QString error;
    const auto source = Database::open(args[1], Database::Mode::ReadOnly, &error);
    if (!source) {
        std::fprintf(stderr, "pg_copy_bench: %s\n", qPrintable(error));
        return 1;
    }
    double seconds[2] = { 0, 0 }; // INSERT, COPY
    qint64 events[2] = { 0, 0 };
    for (qsizetype i = 2; i < args.size(); ++i) {
        // 0: INSERT, 1: COPY, 1: COPY, 0: INSERT, …
        const bool viaCopy = ((i - 2) % 4 == 1) || ((i - 2) % 4 == 2);
        auto target = PgConnection::open(args[i]);
        if (!target) {
            std::fprintf(stderr, "pg_copy_bench: %s\n", qPrintable(target.error().message));
            return 1;
        }
        PgCopyOptions options;
        options.viaInsert = !viaCopy;
        QElapsedTimer timer;
        timer.start();
        const PgResult<PgCopyReport> report = copySqliteToPostgres(*source, *target.value(), options);
        const double elapsed = double(timer.nsecsElapsed()) / 1e9;
        if (!report || !report->countsMatch()) {
            std::fprintf(stderr, "pg_copy_bench: copy %lld failed: %s\n", qint64(i - 1),
                report ? "the row counts differ" : qPrintable(report.error().message));
            return 1;
        }
        seconds[viaCopy] += elapsed;
        events[viaCopy] += report->eventsCopied;
        std::printf("%-6s %8lld events in %7.2f s: %8.0f events/s\n", viaCopy ? "COPY" : "INSERT", report->eventsCopied,
            elapsed, double(report->eventsCopied) / elapsed);
        std::fflush(stdout);
    }
    const double insertRate = double(events[0]) / seconds[0];
    const double copyRate = double(events[1]) / seconds[1];
    std::printf("INSERT %.0f events/s, COPY %.0f events/s: COPY %.2fx INSERT's rate\n", insertRate, copyRate,
        copyRate / insertRate);
    return 0;
}
