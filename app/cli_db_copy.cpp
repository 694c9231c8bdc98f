#include "app/cli_db_copy.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"
#include "storage/postgres/pg_copy.h"
#include "storage/postgres/pg_uri.h"

#include <QElapsedTimer>
#include <QLocale>

#include <unistd.h>

namespace faultline {

namespace {

const QString kUsage = QStringLiteral("usage: faultline db copy [--from PATH] --to postgresql://… [--chunk-events N] "
                                      "[--stop-after-chunks N]");
constexpr int kBarWidth = 30;
constexpr qint64 kLineIntervalMs = 2000; // without a terminal: a line at most this often per phase

// The copy's progress on stderr: one bar redrawn in place on a terminal,
// plain lines (at each phase, then every couple of seconds) in a log or a pipe.
class ProgressPrinter {
public:
    ProgressPrinter(QTextStream &err, bool terminal)
        : m_err(err)
        , m_terminal(terminal)
    {
        m_sinceLine.start();
    }
    ~ProgressPrinter() { endLine(); }
    ProgressPrinter(const ProgressPrinter &) = delete;
    ProgressPrinter &operator=(const ProgressPrinter &) = delete;

    void show(const PgCopyProgress &progress)
    {
        const bool newPhase = progress.phase != m_phase;
        if (newPhase)
            endLine();
        m_phase = progress.phase;
        const int percent = progress.total > 0 ? int(progress.done * 100 / progress.total) : 100;
        const QString counts
            = QStringLiteral("%1 %2/%3")
                  .arg(progress.phase, QLocale::c().toString(progress.done), QLocale::c().toString(progress.total));
        if (m_terminal) {
            const int filled = kBarWidth * percent / 100;
            m_err << "\r[" << QString(filled, u'#') << QString(kBarWidth - filled, u'-') << "] "
                  << QString::number(percent).rightJustified(3) << "%  " << counts << "\x1b[K";
            m_err.flush();
            m_lineOpen = true;
            return;
        }
        if (!newPhase && m_sinceLine.elapsed() < kLineIntervalMs && progress.done < progress.total)
            return;
        m_err << "faultline: db copy: " << percent << "% " << counts << "\n";
        m_err.flush();
        m_sinceLine.restart();
    }

    void endLine()
    {
        if (m_lineOpen)
            m_err << "\n";
        m_err.flush();
        m_lineOpen = false;
    }

private:
    QTextStream &m_err;
    bool m_terminal;
    bool m_lineOpen = false;
    QString m_phase;
    QElapsedTimer m_sinceLine;
};

void printCounts(const PgCopyReport &report, QTextStream &out)
{
    out << QStringLiteral("%1 %2 %3")
               .arg(QStringLiteral("table"), -20)
               .arg(QStringLiteral("SQLite"), 12)
               .arg(QStringLiteral("PostgreSQL"), 12)
        << "\n";
    for (const PgTableCount &count : report.counts)
        out << QStringLiteral("%1 %2 %3%4")
                   .arg(count.table, -20)
                   .arg(count.source, 12)
                   .arg(count.target, 12)
                   .arg(count.matches() ? QString() : QStringLiteral("  DIFFERS"))
            << "\n";
}

} // namespace

int runDbCopyCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const CliSyntax syntax { { QStringLiteral("--from"), QStringLiteral("--to"), QStringLiteral("--chunk-events"),
                                 QStringLiteral("--stop-after-chunks") },
        {}, {}, false, kUsage };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return 2;
    const QString to = arguments->value(QStringLiteral("--to"));
    if (!isPostgresUri(to)) {
        err << "faultline: --to expects a PostgreSQL URI (postgresql://user@host/db), got '"
            << connectionStringForLog(to) << "'\n"
            << kUsage << "\n";
        return 2;
    }
    PgCopyOptions options;
    for (auto [option, target] : { std::pair { QStringLiteral("--chunk-events"), &options.eventsPerChunk },
             std::pair { QStringLiteral("--stop-after-chunks"), &options.stopAfterChunks } }) {
        if (!arguments->isSet(option))
            continue;
        const auto number = arguments->number(option, option == QLatin1String("--chunk-events") ? 1 : 0, 1'000'000);
        if (!number) {
            err << "faultline: " << option << " expects a number up to 1000000, got '" << arguments->value(option)
                << "'\n";
            return 2;
        }
        *target = int(*number);
    }

    const QString from = arguments->isSet(QStringLiteral("--from")) ? arguments->value(QStringLiteral("--from"))
                                                                    : Database::defaultPath();
    const auto source = openCliDatabase(from, CliDatabaseUse::Read, err);
    if (!source)
        return 1;
    // Blocking, host name look-up included: Ctrl+C ends it (only runServer() handles SIGINT).
    auto target = PgConnection::open(to);
    if (!target) {
        err << "faultline: " << target.error().message << "\n";
        return 1;
    }

    QElapsedTimer elapsed;
    elapsed.start();
    PgResult<PgCopyReport> report = [&] {
        ProgressPrinter printer(err, ::isatty(STDERR_FILENO) != 0);
        return copySqliteToPostgres(
            *source, *target.value(), options, [&printer](const PgCopyProgress &progress) { printer.show(progress); });
    }();
    if (!report) {
        err << "faultline: db copy: " << report.error().message << "\n";
        return 1;
    }
    const double seconds = double(elapsed.elapsed()) / 1000.0;
    out << (report->resumed ? "resumed the copy: " : "") << "copied " << report->eventsCopied << " events ("
        << QLocale::c().formattedDataSize(report->rawBytesCopied) << " compressed) from " << from << " to "
        << target.value()->logName() << " in " << QString::number(seconds, 'f', 1) << " s";
    if (report->eventsCopied > 0 && seconds > 0)
        out << ", " << qint64(double(report->eventsCopied) / seconds) << " events/s";
    out << "\n";
    if (report->stopped) {
        out << "stopped after " << options.stopAfterChunks
            << " chunks as asked; run the same command again to resume\n";
        return 3;
    }
    printCounts(report.value(), out);
    if (!report->countsMatch()) {
        err << "faultline: db copy: the row counts differ (see above); was the SQLite database written meanwhile?\n";
        return 1;
    }
    out << "every count matches\n";
    return 0;
}

} // namespace faultline
