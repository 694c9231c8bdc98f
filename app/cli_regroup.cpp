#include "app/cli_regroup.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"

#include "model/grouping.h"
#include "storage/backend.h"
#include "storage/grouping_rule_store.h"
#include "storage/project_store.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace faultline {

namespace {

const QString kUsage = QStringLiteral(
    "usage: faultline project regroup NAME|ID | project rules NAME|ID [--remove RULE] [--db PATH] [--json]");

int regroup(
    const CliArguments &arguments, StorageBackend &backend, const Project &project, QTextStream &out, QTextStream &err)
{
    QElapsedTimer sinceShown;
    sinceShown.start();
    const RegroupReport report = backend.groupingRules().regroup(project.id, [&](qint64 done, qint64 total) {
        if (sinceShown.elapsed() >= 500 || done == total) { // a line per half second is enough to follow
            err << "regrouping " << project.name << ": " << done << "/" << total << " events\n";
            err.flush();
            sinceShown.restart();
        }
        return true;
    });
    if (!report.error.isEmpty()) {
        err << "faultline: regrouping stopped: " << report.error << " (" << report.events
            << " events done stay done; run it again to finish)\n";
        return 1;
    }
    if (arguments.isSet(QStringLiteral("--json"))) {
        out << QJsonDocument(
            QJsonObject { { QStringLiteral("project"), project.name },
                { QStringLiteral("strategy"), currentGroupingStrategy() }, { QStringLiteral("events"), report.events },
                { QStringLiteral("moved"), report.moved }, { QStringLiteral("new_issues"), report.newIssues },
                { QStringLiteral("issues_deleted"), report.issuesDeleted },
                { QStringLiteral("unreadable"), report.unreadable } })
                   .toJson(QJsonDocument::Compact)
            << "\n";
    } else {
        out << "regrouped " << project.name << " under grouping " << currentGroupingStrategy() << ": " << report.events
            << " events, " << report.moved << " moved to another issue, " << report.newIssues << " new issues, "
            << report.issuesDeleted << " issues joined into others"
            << (report.unreadable ? QStringLiteral(", %1 unreadable left in place").arg(report.unreadable) : QString())
            << "\n";
    }
    return 0;
}

QJsonObject ruleJson(const GroupingRule &rule)
{
    return { { QStringLiteral("id"), rule.id }, { QStringLiteral("kind"), rule.kind },
        { QStringLiteral("issue"), rule.issueId }, { QStringLiteral("from_issue"), rule.fromIssueId },
        { QStringLiteral("keys"), QJsonArray::fromStringList(rule.hashes) },
        { QStringLiteral("description"), rule.description }, { QStringLiteral("created_ms"), rule.createdMs } };
}

int rules(
    const CliArguments &arguments, StorageBackend &backend, const Project &project, QTextStream &out, QTextStream &err)
{
    const bool json = arguments.isSet(QStringLiteral("--json"));
    QString error;
    if (arguments.isSet(QStringLiteral("--remove"))) {
        const qint64 ruleId = arguments.value(QStringLiteral("--remove")).toLongLong();
        const QList<GroupingRule> current = backend.groupingRules().forProject(project.id, &error);
        const bool ours = std::any_of(
            current.cbegin(), current.cend(), [&](const GroupingRule &rule) { return rule.id == ruleId; });
        QString done;
        if (error.isEmpty() && !ours)
            error = QStringLiteral("project %1 has no grouping rule %2").arg(project.name).arg(ruleId);
        if (!error.isEmpty() || !backend.groupingRules().remove(ruleId, &done, &error)) {
            err << "faultline: rule not removed: " << error << "\n";
            return 1;
        }
        if (json)
            out << QJsonDocument(
                QJsonObject { { QStringLiteral("removed"), ruleId }, { QStringLiteral("done"), done } })
                       .toJson(QJsonDocument::Compact)
                << "\n";
        else
            out << "removed rule " << ruleId << ": " << done << "\n";
        return 0;
    }
    const QList<GroupingRule> listed = backend.groupingRules().forProject(project.id, &error);
    if (!error.isEmpty()) {
        err << "faultline: reading the grouping rules failed: " << error << "\n";
        return 1;
    }
    if (json) {
        QJsonArray array;
        for (const GroupingRule &rule : listed)
            array.append(ruleJson(rule));
        out << QJsonDocument(array).toJson(QJsonDocument::Compact) << "\n";
        return 0;
    }
    out << "Grouping rules of " << project.name << " (" << listed.size()
        << "), newest first; undo one with: faultline project rules " << project.name << " --remove ID\n";
    for (const GroupingRule &rule : listed)
        out << "\n  " << rule.id << "  " << rule.kind << "  "
            << QDateTime::fromMSecsSinceEpoch(rule.createdMs).toString(QStringLiteral("yyyy-MM-dd HH:mm")) << "  "
            << rule.hashes.size() << (rule.hashes.size() == 1 ? " key" : " keys") << "\n    " << rule.description
            << "\n";
    return 0;
}

} // namespace

int runProjectCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions = { QStringLiteral("--db"), QStringLiteral("--remove") },
        .flags = { QStringLiteral("--json") },
        .positionals = true,
        .usage = kUsage };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return 2;
    const QString verb = arguments->positionals.value(0);
    bool validRule = false;
    arguments->value(QStringLiteral("--remove")).toLongLong(&validRule);
    if (arguments->positionals.size() != 2 || (verb != u"regroup" && verb != u"rules")
        || (arguments->isSet(QStringLiteral("--remove")) && (verb != u"rules" || !validRule))) {
        err << "faultline: expected regroup or rules, and a project\n" << kUsage << "\n";
        return 2;
    }
    const bool writes = verb == u"regroup" || arguments->isSet(QStringLiteral("--remove"));
    auto backend
        = openCliBackend(cliDatabasePath(*arguments), writes ? CliDatabaseUse::Write : CliDatabaseUse::Read, err);
    if (!backend)
        return 1;
    const QString wanted = arguments->positionals.at(1);
    std::optional<Project> project;
    for (const Project &candidate : backend->projects().all())
        if (candidate.name == wanted || QString::number(candidate.id) == wanted)
            project = candidate;
    if (!project) {
        err << "faultline: no project " << wanted << " (faultline projects lists them)\n";
        return 1;
    }
    return verb == u"regroup" ? regroup(*arguments, *backend, *project, out, err)
                              : rules(*arguments, *backend, *project, out, err);
}

} // namespace faultline
