#include "app/cli_issue_status.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"

#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace faultline {

namespace {

const QStringList kVerbs { QStringLiteral("resolve"), QStringLiteral("ignore"), QStringLiteral("unresolve") };

const QString kUsage
    = QStringLiteral("usage: faultline issue ID resolve [--next-release] | ignore [--for 24h | --until-events N | "
                     "--until-escalating] | unresolve  [--db PATH] [--json]");

// "30m", "1h", "24h", "7d", "2w" → milliseconds; 0 when it is not a duration.
qint64 durationMs(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,6})\\s*(m|min|h|d|w)$"));
    const auto match = pattern.match(text.trimmed().toLower());
    if (!match.hasMatch())
        return 0;
    const qint64 amount = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 minute = 60'000;
    const qint64 unitMs = unit.startsWith(u'm') ? minute
        : unit == u"h"                          ? 60 * minute
        : unit == u"d"                          ? 24 * 60 * minute
                                                : 7 * 24 * 60 * minute;
    return amount * unitMs;
}

// The change the options ask for; nullopt (after complaining) when they do not fit the verb.
std::optional<StatusChange> changeFor(const QString &verb, const CliArguments &arguments, QTextStream &err)
{
    StatusChange change;
    const bool forSet = arguments.isSet(QStringLiteral("--for"));
    const bool eventsSet = arguments.isSet(QStringLiteral("--until-events"));
    const bool escalating = arguments.isSet(QStringLiteral("--until-escalating"));
    const bool nextRelease = arguments.isSet(QStringLiteral("--next-release"));
    const int ignoreConditions = int(forSet) + int(eventsSet) + int(escalating);
    if (verb == u"resolve") {
        if (ignoreConditions > 0) {
            err << "faultline: --for, --until-events and --until-escalating go with ignore\n" << kUsage << "\n";
            return std::nullopt;
        }
        change.status = IssueStatus::Resolved;
        change.until = nextRelease ? StatusChange::Until::NextRelease : StatusChange::Until::Forever;
        return change;
    }
    if (nextRelease) {
        err << "faultline: --next-release goes with resolve\n" << kUsage << "\n";
        return std::nullopt;
    }
    if (verb == u"unresolve") {
        if (ignoreConditions > 0) {
            err << "faultline: unresolve takes no condition\n" << kUsage << "\n";
            return std::nullopt;
        }
        return change;
    }
    change.status = IssueStatus::Ignored;
    if (ignoreConditions > 1) {
        err << "faultline: give one of --for, --until-events and --until-escalating\n" << kUsage << "\n";
        return std::nullopt;
    }
    if (forSet) {
        change.until = StatusChange::Until::Duration;
        change.durationMs = durationMs(arguments.value(QStringLiteral("--for")));
        if (change.durationMs <= 0) {
            err << "faultline: --for expects a duration like 1h, 24h or 7d, got '"
                << arguments.value(QStringLiteral("--for")) << "'\n";
            return std::nullopt;
        }
    } else if (eventsSet) {
        const auto events = arguments.number(QStringLiteral("--until-events"), 1, 1'000'000'000);
        if (!events) {
            err << "faultline: --until-events expects a number from 1, got '"
                << arguments.value(QStringLiteral("--until-events")) << "'\n";
            return std::nullopt;
        }
        change.until = StatusChange::Until::Events;
        change.events = *events;
    } else if (escalating) {
        change.until = StatusChange::Until::Escalating;
    }
    return change;
}

} // namespace

bool isIssueStatusCommand(const QStringList &args)
{
    for (const QString &word : args)
        if (kVerbs.contains(word))
            return true;
    return false;
}

int runIssueStatusCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions
        = { QStringLiteral("--db"), QStringLiteral("--for"), QStringLiteral("--until-events") },
        .flags = { QStringLiteral("--json"), QStringLiteral("--until-escalating"), QStringLiteral("--next-release") },
        .positionals = true,
        .usage = kUsage };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return 2;
    bool isNumber = false;
    const qint64 issueId = arguments->positionals.value(0).toLongLong(&isNumber);
    const QString verb = arguments->positionals.value(1);
    if (arguments->positionals.size() != 2 || !isNumber || issueId <= 0 || !kVerbs.contains(verb)) {
        err << "faultline: expected an issue id and resolve, ignore or unresolve\n" << kUsage << "\n";
        return 2;
    }
    const auto change = changeFor(verb, *arguments, err);
    if (!change)
        return 2;
    auto backend = openCliBackend(arguments->value(QStringLiteral("--db")), CliDatabaseUse::Write, err);
    if (!backend)
        return 1;
    if (const StorageResult<IssueRow> issue = backend->issues().byId(issueId); !issue) {
        err << "faultline: " << issueReadFailure(issue.error(), issueId) << "\n";
        return 1;
    }
    QString error;
    const int changed
        = backend->statuses().apply({ issueId }, *change, QDateTime::currentMSecsSinceEpoch(), nullptr, &error);
    if (changed < 0) {
        err << "faultline: changing the status failed: " << error << "\n";
        return 1;
    }
    const StorageResult<IssueRow> issue = backend->issues().byId(issueId);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const QString detail = issue ? statusDetail(*issue, nowMs) : QString();
    if (arguments->isSet(QStringLiteral("--json"))) {
        out << QJsonDocument(
            QJsonObject { { QStringLiteral("id"), issueId },
                { QStringLiteral("status"), issue ? issue->status : QString() },
                { QStringLiteral("status_detail"), detail }, { QStringLiteral("changed"), changed > 0 } })
                   .toJson(QJsonDocument::Compact)
            << "\n";
    } else {
        out << "issue " << issueId << ": " << (detail.isEmpty() && issue ? issue->status : detail)
            << (changed > 0 ? "" : " (unchanged)") << "\n";
    }
    return 0;
}

} // namespace faultline
