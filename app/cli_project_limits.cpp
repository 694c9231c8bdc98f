#include "app/cli_project_limits.h"

#include "storage/database.h"
#include "storage/project_settings.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>
#include <optional>

namespace faultline {

namespace {

const char *const kUsage = "usage: faultline projects limits ID [--max-age-days N] [--max-events N] "
                           "[--rate-limit N] [--db PATH] [--json]\n";

// Sets *target from option `name` when given; false (after complaining) when it is not a number in [0, max].
template<typename T> bool readLimit(const QCommandLineParser &parser, const QString &name, T *target, QTextStream &err)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < 0 || value > std::numeric_limits<T>::max()) {
        err << "faultline: --" << name << " expects a number >= 0 (0 = no limit), got '" << parser.value(name) << "'\n";
        return false;
    }
    *target = T(value);
    return true;
}

} // namespace

int runProjectLimitsCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    const QString maxAge = QStringLiteral("max-age-days");
    const QString maxEvents = QStringLiteral("max-events");
    const QString rateLimit = QStringLiteral("rate-limit");
    const QCommandLineOption db(QStringLiteral("db"), QString(), QStringLiteral("PATH"));
    const QCommandLineOption json(QStringLiteral("json"));
    parser.addOptions({ db, json, QCommandLineOption(maxAge, QString(), QStringLiteral("N")),
        QCommandLineOption(maxEvents, QString(), QStringLiteral("N")),
        QCommandLineOption(rateLimit, QString(), QStringLiteral("N")) });
    auto finish = [&](int code) {
        out.flush();
        err.flush();
        return code;
    };
    if (!parser.parse(QStringList { QStringLiteral("faultline projects limits") } + args)) {
        err << "faultline: " << parser.errorText() << "\n" << kUsage;
        return finish(2);
    }
    bool idOk = false;
    const qint64 projectId = parser.positionalArguments().value(0).toLongLong(&idOk);
    if (parser.positionalArguments().size() != 1 || !idOk) {
        err << "faultline: expected one project id\n" << kUsage;
        return finish(2);
    }

    const QString path = parser.isSet(db) ? parser.value(db) : Database::defaultPath();
    if (!QFileInfo::exists(path)) {
        err << "faultline: no database at " << path << " (start faultline once, or pass --db PATH)\n";
        return finish(1);
    }
    const bool changing = parser.isSet(maxAge) || parser.isSet(maxEvents) || parser.isSet(rateLimit);
    QString error;
    const auto database = Database::open(path, changing ? Database::Mode::ReadWrite : Database::Mode::ReadOnly, &error);
    if (!database) {
        err << "faultline: " << error << "\n";
        return finish(1);
    }
    ProjectSettingsStore store(*database);
    std::optional<ProjectSettings> settings = store.get(projectId);
    if (!settings) {
        err << "faultline: no project " << projectId << " (see: faultline projects)\n";
        return finish(1);
    }
    if (!readLimit(parser, maxAge, &settings->maxAgeDays, err)
        || !readLimit(parser, maxEvents, &settings->maxEvents, err)
        || !readLimit(parser, rateLimit, &settings->eventsPerMinute, err))
        return finish(2);
    if (changing && !store.set(*settings, &error)) {
        err << "faultline: cannot store the limits of project " << projectId << ": " << error << "\n";
        return finish(1);
    }

    if (parser.isSet(json)) {
        out << QJsonDocument(QJsonObject { { QStringLiteral("project_id"), settings->projectId },
                                 { QStringLiteral("max_age_days"), settings->maxAgeDays },
                                 { QStringLiteral("max_events"), settings->maxEvents },
                                 { QStringLiteral("events_per_minute"), settings->eventsPerMinute } })
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
            << "\n";
    }
    return finish(0);
}

} // namespace faultline
