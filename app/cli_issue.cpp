#include "app/cli_issue.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"

#include "storage/issue_summary_json.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>

#include <limits>

namespace faultline {

namespace {

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QString();
}

QString statusText(const IssueRow &issue)
{
    return issue.regressed && issue.status == u"unresolved" ? QStringLiteral("unresolved (regressed)") : issue.status;
}

double percentOf(qint64 part, qint64 whole) { return whole > 0 ? 100.0 * double(part) / double(whole) : 0.0; }

void printSummary(const IssueRow &issue, const IssueSummary &summary, QTextStream &out)
{
    const QLocale c = QLocale::c();
    const qint64 total = issue.count;
    auto seen = [](qint64 ms, const QString &release) {
        return isoTime(ms) + (release.isEmpty() ? QString() : QStringLiteral(" in ") + release);
    };
    out << "Issue " << issue.id << ": " << issue.title << "\n";
    if (!issue.culprit.isEmpty())
        out << "  " << issue.culprit << "\n";
    out << "Status:     " << statusText(issue) << "\n"
        << "Level:      " << issue.level << "\n"
        << "Events:     " << c.toString(issue.count) << "\n"
        << "Users:      " << c.toString(summary.users) << "\n"
        << "First seen: " << seen(issue.firstSeenMs, summary.firstRelease) << "\n"
        << "Last seen:  " << seen(issue.lastSeenMs, summary.lastRelease) << "\n";
    if (!summary.releases.isEmpty()) {
        out << "\nEvents per release (first seen first):\n";
        for (const TagValueCount &release : summary.releases)
            out << "  " << release.value.leftJustified(28) << " " << c.toString(release.events).rightJustified(9)
                << "  first " << isoTime(release.firstSeenMs) << "  last " << isoTime(release.lastSeenMs) << "\n";
    }
    for (const TagDistribution &tag : summary.tags) {
        out << "\n"
            << tag.key << " (" << tag.distinctValues << (tag.distinctValues == 1 ? " value" : " values") << "):\n";
        const qint64 whole = std::max(total, tag.events);
        for (const TagValueCount &value : tag.top)
            out << "  " << value.value.leftJustified(40) << " " << c.toString(value.events).rightJustified(9) << "  "
                << QString::number(percentOf(value.events, whole), 'f', 1).rightJustified(5) << "%\n";
    }
}

} // namespace

QJsonObject issueSummaryJson(const IssueReader &issues, const IssueRow &issue, QString *error)
{
    const IssueSummary summary = issues.summary(issue.id, 10, error);
    QJsonObject json { { QStringLiteral("id"), issue.id }, { QStringLiteral("project_id"), issue.projectId },
        { QStringLiteral("title"), issue.title }, { QStringLiteral("culprit"), issue.culprit },
        { QStringLiteral("level"), issue.level }, { QStringLiteral("status"), issue.status },
        { QStringLiteral("regressed"), issue.regressed }, { QStringLiteral("count"), issue.count },
        { QStringLiteral("first_seen"), isoTime(issue.firstSeenMs) },
        { QStringLiteral("last_seen"), isoTime(issue.lastSeenMs) } };
    addIssueSummaryJson(json, issue, summary, QDateTime::currentMSecsSinceEpoch());
    return json;
}

int runIssueCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions = { QStringLiteral("--db") },
        .flags = { QStringLiteral("--json") },
        .aliases = {},
        .positionals = true };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return 2;
    bool numeric = false;
    const qint64 issueId = arguments->positionals.value(0).toLongLong(&numeric);
    if (arguments->positionals.size() != 1 || !numeric || issueId <= 0) {
        err << "faultline: usage: faultline issue ID [--json] [--db PATH]\n"
               "       faultline issue ID resolve|ignore|unresolve [--for 24h|--until-events "
               "N|--until-escalating|--next-release]\n";
        return 2;
    }
    auto backend = openCliBackend(cliDatabasePath(*arguments), CliDatabaseUse::Read, err);
    if (!backend)
        return 1;
    const IssueReader &issues = backend->issues();
    const StorageResult<IssueRow> issue = issues.byId(issueId);
    if (!issue) {
        err << "faultline: " << issueReadFailure(issue.error(), issueId) << "\n";
        return 1;
    }
    QString error;
    if (arguments->isSet(QStringLiteral("--json"))) {
        const QJsonObject json = issueSummaryJson(issues, *issue, &error);
        if (error.isEmpty())
            out << QJsonDocument(json).toJson(QJsonDocument::Indented);
    } else {
        const IssueSummary summary = issues.summary(issueId, 10, &error);
        if (error.isEmpty())
            printSummary(*issue, summary, out);
    }
    if (!error.isEmpty()) {
        err << "faultline: reading the issue's summary failed: " << error << "\n";
        return 1;
    }
    return 0;
}

} // namespace faultline
