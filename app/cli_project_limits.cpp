#include "app/cli_project_limits.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"

#include "model/scrub.h"
#include "storage/backend.h"
#include "storage/store_readers.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <limits>
#include <optional>

namespace faultline {

namespace {

// Sets *target from `option` when given; false (after complaining) when it is not a number in [0, max].
template<typename T> bool readLimit(const CliArguments &arguments, const QString &option, T *target, QTextStream &err)
{
    if (!arguments.isSet(option))
        return true;
    const auto value = arguments.number(option, 0, std::numeric_limits<T>::max());
    if (!value) {
        err << "faultline: " << option << " expects a number >= 0 (0 = no limit), got '" << arguments.value(option)
            << "'\n";
        return false;
    }
    *target = T(*value);
    return true;
}

} // namespace

int runProjectLimitsCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QString maxAge = QStringLiteral("--max-age-days");
    const QString maxEvents = QStringLiteral("--max-events");
    const QString rateLimit = QStringLiteral("--rate-limit");
    const QString attachmentQuota = QStringLiteral("--attachment-mib-per-hour");
    const QString maxStored = QStringLiteral("--max-stored-mib");
    const QString keepPii = QStringLiteral("--keep-pii");
    const CliSyntax syntax { .valueOptions
        = { QStringLiteral("--db"), maxAge, maxEvents, rateLimit, attachmentQuota, maxStored, keepPii },
        .flags = { QStringLiteral("--json") },
        .positionals = true,
        .usage = QStringLiteral("usage: faultline projects limits ID [--max-age-days N] [--max-events N] "
                                "[--rate-limit N] [--attachment-mib-per-hour N] [--max-stored-mib N] "
                                "[--keep-pii RULES] [--db PATH] [--json]") };
    auto finish = [&](int code) {
        out.flush();
        err.flush();
        return code;
    };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return finish(2);
    bool idOk = false;
    const qint64 projectId = arguments->positionals.value(0).toLongLong(&idOk);
    if (arguments->positionals.size() != 1 || !idOk) {
        err << "faultline: expected one project id\n" << syntax.usage << "\n";
        return finish(2);
    }

    const bool changing = arguments->isSet(maxAge) || arguments->isSet(maxEvents) || arguments->isSet(rateLimit)
        || arguments->isSet(attachmentQuota) || arguments->isSet(maxStored) || arguments->isSet(keepPii);
    const auto backend
        = openCliBackend(cliDatabasePath(*arguments), changing ? CliDatabaseUse::Write : CliDatabaseUse::Read, err);
    if (!backend)
        return finish(1);
    ProjectLimitStore &store = backend->limits();
    StorageResult<ProjectSettings> settings = store.get(projectId);
    if (!settings && settings.error().kind == StorageError::Kind::NotFound) {
        err << "faultline: no project " << projectId << " (see: faultline projects)\n";
        return finish(1);
    }
    if (!settings) {
        err << "faultline: cannot read the limits of project " << projectId << ": "
            << storageErrorText(settings.error()) << " (" << settings.error().detail << ")\n";
        return finish(1);
    }
    if (!readLimit(*arguments, maxAge, &settings->maxAgeDays, err)
        || !readLimit(*arguments, maxEvents, &settings->maxEvents, err)
        || !readLimit(*arguments, rateLimit, &settings->eventsPerMinute, err)
        || !readLimit(*arguments, attachmentQuota, &settings->attachmentMiBPerHour, err)
        || !readLimit(*arguments, maxStored, &settings->maxStoredMiB, err))
        return finish(2);
    QString error;
    if (arguments->isSet(keepPii)) {
        // "none" (or '') turns every rule back on.
        const QString names = arguments->value(keepPii).trimmed().toLower();
        const std::optional<unsigned> keep
            = parseScrubOptOuts(names == QLatin1String("none") ? QString() : names, &error);
        if (!keep) {
            err << "faultline: --keep-pii: " << error << "\n";
            return finish(2);
        }
        settings->scrubOptOuts = scrubOptOutNames(*keep);
    }
    if (const StorageResult<void> stored = changing ? store.set(*settings) : StorageResult<void>(); !stored) {
        err << "faultline: cannot store the limits of project " << projectId << ": " << storageErrorText(stored.error())
            << " (" << stored.error().detail << ")\n";
        return finish(1);
    }

    if (arguments->isSet(QStringLiteral("--json"))) {
        out << QJsonDocument(QJsonObject { { QStringLiteral("project_id"), settings->projectId },
                                 { QStringLiteral("max_age_days"), settings->maxAgeDays },
                                 { QStringLiteral("max_events"), settings->maxEvents },
                                 { QStringLiteral("events_per_minute"), settings->eventsPerMinute },
                                 { QStringLiteral("attachment_mib_per_hour"), settings->attachmentMiBPerHour },
                                 { QStringLiteral("max_stored_mib"), settings->maxStoredMiB },
                                 { QStringLiteral("scrub_opt_outs"), settings->scrubOptOuts } })
                   .toJson(QJsonDocument::Compact)
            << "\n";
    } else {
        const ProjectSettings &limits = *settings;
        out << "project " << projectId << ": keep "
            << (limits.maxAgeDays > 0 ? QStringLiteral("%1 days").arg(limits.maxAgeDays) : QStringLiteral("forever"))
            << ", "
            << (limits.maxEvents > 0 ? QStringLiteral("at most %1 events").arg(limits.maxEvents)
                                     : QStringLiteral("any number of events"))
            << ", rate limit "
            << (limits.eventsPerMinute > 0 ? QStringLiteral("%1 events/minute").arg(limits.eventsPerMinute)
                                           : QStringLiteral("the collector's default"))
            << ", attachments "
            << (limits.attachmentMiBPerHour > 0 ? QStringLiteral("%1 MiB/hour").arg(limits.attachmentMiBPerHour)
                                                : QStringLiteral("unlimited"))
            << ", stored size "
            << (limits.maxStoredMiB > 0 ? QStringLiteral("at most %1 MiB").arg(limits.maxStoredMiB)
                                        : QStringLiteral("unlimited"))
            << ", scrubbing "
            << (limits.scrubOptOuts.isEmpty() ? QStringLiteral("every rule")
                                              : QStringLiteral("all but %1").arg(limits.scrubOptOuts))
            << "\n";
    }
    return finish(0);
}

} // namespace faultline
