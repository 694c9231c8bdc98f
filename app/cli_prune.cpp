#include "app/cli_prune.h"

#include "storage/database.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/retention.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QLocale>

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

// A number >= 0 for `name`; complains and returns nullopt otherwise.
std::optional<qint64> nonNegative(const QCommandLineParser &parser, const QString &name, qint64 max, QTextStream &err)
{
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (ok && value >= 0 && value <= max)
        return value;
    err << "faultline: --" << name << " expects a number from 0 to " << max << ", got '" << parser.value(name) << "'\n";
    return std::nullopt;
}

std::optional<PruneOptions> parsePruneOptions(const QStringList &args, QTextStream &err)
{
    QCommandLineParser parser;
    const QCommandLineOption db(QStringLiteral("db"), QString(), QStringLiteral("PATH"));
    const QCommandLineOption project(QStringLiteral("project"), QString(), QStringLiteral("ID"));
    const QCommandLineOption maxAge(QStringLiteral("max-age-days"), QString(), QStringLiteral("N"));
    const QCommandLineOption maxEvents(QStringLiteral("max-events"), QString(), QStringLiteral("N"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"));
    parser.addOptions({ db, project, maxAge, maxEvents, dryRun });
    if (!parser.parse(QStringList { QStringLiteral("faultline prune") } + args)) {
        err << "faultline: " << parser.errorText() << "\n";
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "faultline: unexpected argument '" << parser.positionalArguments().first() << "'\n"
            << "usage: faultline prune [--db PATH] [--project ID] [--max-age-days N] [--max-events N] [--dry-run]\n";
        return std::nullopt;
    }
    PruneOptions options;
    options.dbPath = parser.isSet(db) ? parser.value(db) : Database::defaultPath();
    options.dryRun = parser.isSet(dryRun);
    if (parser.isSet(project)) {
        const auto id = nonNegative(parser, project.names().first(), std::numeric_limits<qint64>::max(), err);
        if (!id)
            return std::nullopt;
        options.projectId = *id;
    }
    if (parser.isSet(maxAge)) {
        const auto days = nonNegative(parser, maxAge.names().first(), 1'000'000, err);
        if (!days)
            return std::nullopt;
        options.maxAgeDays = int(*days);
    }
    if (parser.isSet(maxEvents)) {
        options.maxEvents = nonNegative(parser, maxEvents.names().first(), std::numeric_limits<qint64>::max(), err);
        if (!options.maxEvents)
            return std::nullopt;
    }
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

} // namespace

int runPruneCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const auto options = parsePruneOptions(args, err);
    if (!options) {
        err.flush();
        return 2;
    }
    if (!QFileInfo::exists(options->dbPath)) {
        err << "faultline: no database at " << options->dbPath << " (start faultline once, or pass --db PATH)\n";
        err.flush();
        return 1;
    }
    QString error;
    // A dry run must not need (or take) the write lock.
    const auto db = Database::open(
        options->dbPath, options->dryRun ? Database::Mode::ReadOnly : Database::Mode::ReadWrite, &error);
    if (!db) {
        err << "faultline: " << error << "\n";
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
