#include "app/cli_prune.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"

#include "storage/database.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_retention.h"
#include "storage/postgres/pg_uri.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/retention.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QLocale>

#include <limits>
#include <optional>

namespace faultline {

namespace {

constexpr qint64 kProgressIntervalMs = 1000;

struct PruneOptions {
    QString dbPath;
    std::optional<qint64> projectId;
    std::optional<int> maxAgeDays;
    std::optional<qint64> maxEvents;
    bool dryRun = false;
};

// A number from 0 to max for `option`, when given; complains and returns false otherwise.
template<typename T>
bool readNumber(
    const CliArguments &arguments, const QString &option, qint64 max, std::optional<T> *target, QTextStream &err)
{
    if (!arguments.isSet(option))
        return true;
    const auto value = arguments.number(option, 0, max);
    if (!value) {
        err << "faultline: " << option << " expects a number from 0 to " << max << ", got '" << arguments.value(option)
            << "'\n";
        return false;
    }
    *target = T(*value);
    return true;
}

std::optional<PruneOptions> parsePruneOptions(const QStringList &args, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions = { QStringLiteral("--db"), QStringLiteral("--project"),
                                 QStringLiteral("--max-age-days"), QStringLiteral("--max-events") },
        .flags = { QStringLiteral("--dry-run") },
        .usage = QStringLiteral(
            "usage: faultline prune [--db PATH|URI] [--project ID] [--max-age-days N] [--max-events N] [--dry-run]") };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return std::nullopt;
    PruneOptions options;
    options.dbPath = cliDatabasePath(*arguments);
    options.dryRun = arguments->isSet(QStringLiteral("--dry-run"));
    constexpr qint64 kMaxCount = std::numeric_limits<qint64>::max();
    if (!readNumber(*arguments, QStringLiteral("--project"), kMaxCount, &options.projectId, err)
        || !readNumber(*arguments, QStringLiteral("--max-age-days"), 1'000'000, &options.maxAgeDays, err)
        || !readNumber(*arguments, QStringLiteral("--max-events"), kMaxCount, &options.maxEvents, err))
        return std::nullopt;
    return options;
}

QString describeLimits(const ProjectSettings &settings)
{
    const QString age = settings.maxAgeDays > 0 ? QStringLiteral("older than %1 days").arg(settings.maxAgeDays)
                                                : QStringLiteral("no age limit");
    const QString count = settings.maxEvents > 0 ? QStringLiteral("beyond the newest %1").arg(settings.maxEvents)
                                                 : QStringLiteral("no count limit");
    return age + QStringLiteral("; ") + count;
}

QString monthLabel(const PartitionMonth &month) { return month.suffix.mid(1).replace(u'_', u'-'); }

// PostgreSQL (#18): whole months go, for every project at once (pg_retention.h).
int prunePostgres(const PruneOptions &options, QTextStream &out, QTextStream &err)
{
    if (options.projectId) {
        err << "faultline: --project does not apply to PostgreSQL: a month's partition holds every project's events, "
               "and goes when every project's limits let it go\n";
        return 2;
    }
    // Blocking, host name look-up included: Ctrl+C ends it (only runServer() handles SIGINT).
    auto connection = PgConnection::open(options.dbPath);
    if (!connection) {
        err << "faultline: " << connection.error().message << "\n";
        return 1;
    }
    PgConnection &db = *connection.value();
    if (auto migrated = migratePostgres(db); !migrated) {
        err << "faultline: " << migrated.error().message << "\n";
        return 1;
    }
    PgRetention retention(db);
    auto settings = retention.projectSettings();
    if (!settings) {
        err << "faultline: " << settings.error().message << "\n";
        return 1;
    }
    for (ProjectSettings &project : settings.value()) {
        project.maxAgeDays = options.maxAgeDays.value_or(project.maxAgeDays);
        project.maxEvents = options.maxEvents.value_or(project.maxEvents);
    }
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (options.dryRun) {
        auto plan = retention.plan(settings.value(), nowMs);
        if (!plan) {
            err << "faultline: " << plan.error().message << "\n";
            return 1;
        }
        for (const PgRetentionMonth &month : plan.value())
            out << monthLabel(month.month) << ": " << month.events << " events, "
                << (month.expired ? QStringLiteral("would be dropped") : QStringLiteral("kept: ") + month.keptBecause)
                << "\n";
        PgSizeRetention bySize(db);
        for (const ProjectSettings &project : settings.value()) {
            if (project.maxStoredMiB <= 0)
                continue;
            auto over = bySize.oldestEventsOverSize(project.projectId, project.maxStoredMiB << 20);
            if (!over) {
                err << "faultline: " << over.error().message << "\n";
                return 1;
            }
            out << "project " << project.projectId << ": " << over.value() << " oldest events over its "
                << project.maxStoredMiB << " MiB limit would be deleted\n";
        }
        return 0;
    }
    auto report = retention.prune(settings.value(), nowMs, [&](const PgDroppedMonth &month) {
        out << "dropped " << monthLabel(month.month) << ": " << month.events << " events, " << month.issuesDeleted
            << " issues left empty; detached in " << month.detachMs << " ms, removed in " << month.removeMs << " ms\n";
        out.flush();
        return true;
    });
    if (!report) {
        err << "faultline: " << report.error().message << "\n";
        return 1;
    }
    if (!report->keptBecause.isEmpty())
        out << "kept the rest: " << report->keptBecause << "\n";
    if (report->overSize.events > 0)
        out << "deleted " << report->overSize.events << " events over size limits, " << report->overSize.issuesDeleted
            << " issues left empty\n";
    out << "deleted " << report->eventsDeleted() << " events and " << report->issuesDeleted() << " issues in "
        << report->dropped.size() << " months and over size limits; " << report->eventKeysDeleted << " event keys in "
        << report->eventKeysMs << " ms\n";
    return 0;
}

} // namespace

int runPruneCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const auto options = parsePruneOptions(args, err);
    if (!options) {
        err.flush();
        return 2;
    }
    if (isPostgresUri(options->dbPath)) {
        const int code = prunePostgres(*options, out, err);
        out.flush();
        err.flush();
        return code;
    }
    // A dry run must not need (or take) the write lock.
    const auto db
        = openCliDatabase(options->dbPath, options->dryRun ? CliDatabaseUse::Read : CliDatabaseUse::Write, err);
    if (!db) {
        err.flush();
        return 1;
    }

    QHash<qint64, QString> names;
    for (const Project &project : ProjectStore(*db).all())
        names.insert(project.id, project.name);
    QList<ProjectSettings> projects = ProjectSettingsStore(*db).all();
    if (options->projectId) {
        projects.removeIf([&](const ProjectSettings &s) { return s.projectId != *options->projectId; });
        if (projects.isEmpty()) {
            err << "faultline: no project " << *options->projectId << " (see: faultline projects)\n";
            err.flush();
            return 1;
        }
    }

    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    Retention retention(*db);
    QString error;
    PruneReport total;
    for (ProjectSettings settings : projects) {
        settings.maxAgeDays = options->maxAgeDays.value_or(settings.maxAgeDays);
        settings.maxEvents = options->maxEvents.value_or(settings.maxEvents);
        const QString label
            = QStringLiteral("project %1 '%2'").arg(settings.projectId).arg(names.value(settings.projectId));
        if (options->dryRun) {
            const PrunePlan plan = retention.plan(settings, nowMs, true, &error);
            if (!error.isEmpty()) {
                err << "faultline: " << label << ": " << error << "\n";
                total.error = error;
                break;
            }
            out << label << ": would delete " << plan.eventsToDelete << " of " << plan.totalEvents << " events and "
                << plan.issuesToDelete << " issues (" << describeLimits(settings) << ")\n";
            total.eventsDeleted += plan.eventsToDelete;
            total.issuesDeleted += plan.issuesToDelete;
            continue;
        }
        QElapsedTimer sinceLine;
        sinceLine.start();
        const PruneReport report = retention.prune(settings, nowMs, [&](qint64 deleted, qint64 of) {
            if (sinceLine.elapsed() >= kProgressIntervalMs) {
                err << "faultline: " << label << ": " << deleted << "/" << of << " events deleted\n";
                err.flush();
                sinceLine.restart();
            }
            return true;
        });
        out << label << ": deleted " << report.eventsDeleted << " events and " << report.issuesDeleted << " issues ("
            << describeLimits(settings) << ")\n";
        total += report;
        if (!report.error.isEmpty()) {
            err << "faultline: " << label << ": " << report.error << "\n";
            break;
        }
    }
    if (options->dryRun)
        out << "would delete " << total.eventsDeleted << " events and " << total.issuesDeleted << " issues\n";
    else
        out << "deleted " << total.eventsDeleted << " events and " << total.issuesDeleted << " issues, freed "
            << QLocale::c().formattedDataSize(total.bytesFreed) << "\n";
    out.flush();
    err.flush();
    return total.error.isEmpty() ? 0 : 1;
}

} // namespace faultline
