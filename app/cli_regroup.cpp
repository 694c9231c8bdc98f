#include "app/cli_regroup.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"

#include "model/grouping.h"
#include "storage/database.h"
#include "storage/project_store.h"
#include "storage/regrouper.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

namespace {

const QString kUsage = QStringLiteral("usage: faultline project regroup NAME|ID [--db PATH] [--json]");

} // namespace

int runProjectCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions = { QStringLiteral("--db") },
        .flags = { QStringLiteral("--json") },
        .positionals = true,
        .usage = kUsage };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return 2;
    if (arguments->positionals.size() != 2 || arguments->positionals.first() != u"regroup") {
        err << "faultline: expected regroup and a project\n" << kUsage << "\n";
        return 2;
    }
    auto db = openCliDatabase(cliDatabasePath(*arguments), CliDatabaseUse::Write, err);
    if (!db)
        return 1;
    const QString wanted = arguments->positionals.at(1);
    std::optional<Project> project;
    for (const Project &candidate : ProjectStore(*db).all())
        if (candidate.name == wanted || QString::number(candidate.id) == wanted)
            project = candidate;
    if (!project) {
        err << "faultline: no project " << wanted << " (faultline projects lists them)\n";
        return 1;
    }
    QElapsedTimer sinceShown;
    sinceShown.start();
    const RegroupReport report = Regrouper(*db).run(project->id, [&](qint64 done, qint64 total) {
        if (sinceShown.elapsed() >= 500 || done == total) { // a line per half second is enough to follow
            err << "regrouping " << project->name << ": " << done << "/" << total << " events\n";
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
    if (arguments->isSet(QStringLiteral("--json"))) {
        out << QJsonDocument(
            QJsonObject { { QStringLiteral("project"), project->name },
                { QStringLiteral("strategy"), currentGroupingStrategy() }, { QStringLiteral("events"), report.events },
                { QStringLiteral("moved"), report.moved }, { QStringLiteral("new_issues"), report.newIssues },
                { QStringLiteral("issues_deleted"), report.issuesDeleted },
                { QStringLiteral("unreadable"), report.unreadable } })
                   .toJson(QJsonDocument::Compact)
            << "\n";
    } else {
        out << "regrouped " << project->name << " under grouping " << currentGroupingStrategy() << ": " << report.events
            << " events, " << report.moved << " moved to another issue, " << report.newIssues << " new issues, "
            << report.issuesDeleted << " issues joined into others"
            << (report.unreadable ? QStringLiteral(", %1 unreadable left in place").arg(report.unreadable) : QString())
            << "\n";
    }
    return 0;
}

} // namespace faultline
