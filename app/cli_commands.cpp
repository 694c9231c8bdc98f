#include "app/cli_commands.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"
#include "app/cli_event_json.h"
#include "app/cli_issue.h"
#include "app/cli_project_limits.h"

#include "model/escaped_text.h"
#include "model/event_parser.h"
#include "model/query/query_parser.h"
#include "storage/project_store.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>
#include <memory>
#include <optional>

namespace faultline {

namespace {

struct CliOptions {
    QString dbPath;
    bool json = false;
    bool raw = false; // events, event: the stored JSON as accepted
    QString query;
    std::optional<int> limit;
    QString hostPort; // --listen; else publishedCollectorHostPort()
    QStringList positional;
};

std::optional<CliOptions> parseOptions(const QStringList &args, bool positionals, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions
        = { QStringLiteral("--db"), QStringLiteral("--query"), QStringLiteral("--listen"), QStringLiteral("--limit") },
        .flags = { QStringLiteral("--json"), QStringLiteral("--raw") },
        .aliases
        = { { QStringLiteral("-q"), QStringLiteral("--query") }, { QStringLiteral("-n"), QStringLiteral("--limit") } },
        .positionals = positionals };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return std::nullopt;
    CliOptions options;
    options.dbPath = cliDatabasePath(*arguments);
    options.json = arguments->isSet(QStringLiteral("--json"));
    options.raw = arguments->isSet(QStringLiteral("--raw"));
    options.query = arguments->value(QStringLiteral("--query"));
    options.hostPort = arguments->value(QStringLiteral("--listen"));
    options.positional = arguments->positionals;
    if (arguments->isSet(QStringLiteral("--limit"))) {
        const auto limit = arguments->number(QStringLiteral("--limit"), 0, std::numeric_limits<int>::max());
        if (!limit) {
            err << "faultline: --limit expects a number >= 0 (0 = all), got '"
                << arguments->value(QStringLiteral("--limit")) << "'\n";
            return std::nullopt;
        }
        options.limit = int(*limit);
    }
    return options;
}

// Prints the parser's message under the query with a caret at the bad term.
std::optional<Query> parseQueryOrComplain(const QString &text, QTextStream &err)
{
    const auto query = parseQuery(text);
    if (query.ok())
        return query.value();
    for (const FieldError &error : query.errors()) { // every mistake, not only the first
        const QuerySpan span = querySpan(error);
        err << "faultline: bad query at position " << span.start + 1 << ": " << error.msg << "\n"
            << "  " << text << "\n"
            << "  " << QString(span.start, u' ') << QString(std::max(1, span.length), u'^') << "\n";
    }
    return std::nullopt;
}

QString isoTime(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); }

// Table cells come from events: control characters are shown, not obeyed (--json escapes them too).
QString padded(const QString &raw, int width)
{
    const QString text = escapedText(raw, Backslash::Keep);
    return text.size() > width ? text.left(width - 1) + u'…' : text.leftJustified(width);
}

// DSNs must point where the collector really listens: --listen, else the
// address the app published when it last started, else the default.
QString dsnHostPort(const CliOptions &options, const StorageBackend &backend)
{
    if (!options.hostPort.isEmpty())
        return options.hostPort;
    return publishedCollectorHostPort(backend);
}

int listProjects(const CliOptions &options, QTextStream &out, QTextStream &err)
{
    auto backend = openCliBackend(options.dbPath, CliDatabaseUse::Read, err);
    if (!backend)
        return 1;
    const auto projects = backend->projects().all();
    const QString hostPort = dsnHostPort(options, *backend);
    if (options.json) {
        QJsonArray array;
        for (const Project &project : projects)
            array.append(QJsonObject { { QStringLiteral("id"), project.id }, { QStringLiteral("name"), project.name },
                { QStringLiteral("public_key"), project.publicKey },
                { QStringLiteral("dsn"), ProjectStore::dsn(project, hostPort) } });
        out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << padded(QStringLiteral("ID"), 6) << padded(QStringLiteral("NAME"), 24) << "DSN\n";
    for (const Project &project : projects)
        out << padded(QString::number(project.id), 6) << padded(project.name, 24)
            << ProjectStore::dsn(project, hostPort) << "\n";
    return 0;
}

int addProject(const CliOptions &options, QTextStream &out, QTextStream &err)
{
    if (options.positional.size() != 2 || options.positional[1].trimmed().isEmpty()) {
        err << "faultline: usage: faultline projects add NAME [--db PATH] [--listen HOST:PORT] [--json]\n";
        return 2;
    }
    auto backend = openCliBackend(options.dbPath, CliDatabaseUse::Create, err);
    if (!backend)
        return 1;
    const QString name = options.positional[1].trimmed();
    const StorageResult<Project> added = backend->projects().add(name);
    if (!added) {
        err << "faultline: cannot add project '" << name << "': " << ProjectStore::addProblem(added.error(), name)
            << "\n";
        return 1;
    }
    const Project &project = *added;
    const QString dsn = ProjectStore::dsn(project, dsnHostPort(options, *backend));
    if (options.json)
        out << QJsonDocument(
            QJsonObject { { QStringLiteral("id"), project.id }, { QStringLiteral("name"), project.name },
                { QStringLiteral("public_key"), project.publicKey }, { QStringLiteral("dsn"), dsn } })
                   .toJson(QJsonDocument::Compact)
            << "\n";
    else
        out << dsn << "\n";
    return 0;
}

int listIssues(
    const CliOptions &options, const Query &query, StorageBackend &backend, QTextStream &out, QTextStream &err)
{
    IssueListRequest request;
    request.query = query;
    request.limit = options.limit.value_or(0);
    QString error;
    const auto issues = backend.issues().list(request, &error);
    if (!error.isEmpty()) {
        err << "faultline: reading issues failed: " << error << "\n";
        return 1;
    }
    if (options.json) {
        QList<qint64> ids;
        for (const IssueRow &issue : issues)
            ids.append(issue.id);
        const QHash<qint64, IssueBrief> briefs = backend.issues().briefs(ids, &error);
        if (!error.isEmpty()) {
            err << "faultline: reading the issues' users and releases failed: " << error << "\n";
            return 1;
        }
        QJsonArray array;
        for (const IssueRow &issue : issues) {
            const IssueBrief brief = briefs.value(issue.id);
            array.append(QJsonObject { { QStringLiteral("id"), issue.id },
                { QStringLiteral("project_id"), issue.projectId }, { QStringLiteral("title"), issue.title },
                { QStringLiteral("culprit"), issue.culprit }, { QStringLiteral("level"), issue.level },
                { QStringLiteral("status"), issue.status }, { QStringLiteral("regressed"), issue.regressed },
                { QStringLiteral("count"), issue.count }, { QStringLiteral("users"), brief.users },
                { QStringLiteral("first_seen"), isoTime(issue.firstSeenMs) },
                { QStringLiteral("first_release"), brief.firstRelease },
                { QStringLiteral("last_seen"), isoTime(issue.lastSeenMs) },
                { QStringLiteral("last_release"), brief.lastRelease },
                { QStringLiteral("status_detail"), statusDetail(issue, QDateTime::currentMSecsSinceEpoch()) },
                { QStringLiteral("unhandled"), issue.unhandled } });
        }
        out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << padded(QStringLiteral("ID"), 7) << padded(QStringLiteral("STATUS"), 12) << padded(QStringLiteral("LEVEL"), 9)
        << padded(QStringLiteral("COUNT"), 8) << padded(QStringLiteral("LAST SEEN (UTC)"), 21) << "TITLE\n";
    for (const IssueRow &issue : issues)
        out << padded(QString::number(issue.id), 7)
            << padded(issue.status + (issue.regressed ? QStringLiteral("*") : QString()), 12) << padded(issue.level, 9)
            << padded(QString::number(issue.count), 8)
            << padded(QDateTime::fromMSecsSinceEpoch(issue.lastSeenMs, Qt::UTC).toString(Qt::ISODate), 21)
            << escapedText(issue.title, Backslash::Keep) << "\n";
    return 0;
}

int listEvents(
    const CliOptions &options, const Query &query, StorageBackend &backend, QTextStream &out, QTextStream &err)
{
    QString error;
    const bool withRaw = options.json || options.raw;
    const EventReader &events = backend.events();
    const auto rows = events.search(query, options.limit.value_or(100), 0, 0, withRaw, &error);
    if (!error.isEmpty()) {
        err << "faultline: reading events failed: " << error << "\n";
        return 1;
    }
    for (const EventRow &row : rows) {
        if (options.raw) {
            out << cliRawEvent(row) << "\n";
            continue;
        }
        if (!options.json) {
            out << isoTime(row.receivedMs) << "  " << row.eventId << "  issue " << row.issueId << "  "
                << padded(row.level, 8) << escapedText(row.title, Backslash::Keep) << "\n";
            continue;
        }
        QString parseError;
        const QJsonObject json = cliEventJson(events, row, &parseError);
        if (!parseError.isEmpty())
            err << "faultline: stored event " << row.eventId << " does not parse: " << parseError << "\n";
        out << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
    }
    return 0;
}

// `event ID`: the one event, as `events --json` shows it (indented) or, with --raw, as stored.
int showEvent(const CliOptions &options, QTextStream &out, QTextStream &err)
{
    if (options.positional.size() != 1) {
        err << "faultline: usage: faultline event EVENT_ID [--raw] [--db PATH]\n";
        return 2;
    }
    const QString id = normalizeEventId(options.positional.first());
    if (id.isEmpty()) {
        err << "faultline: '" << options.positional.first() << "' is not an event id (32 hex digits, dashes allowed)\n";
        return 2;
    }
    auto backend = openCliBackend(options.dbPath, CliDatabaseUse::Read, err);
    if (!backend)
        return 1;
    const StorageResult<EventRow> row = backend->events().byEventId(id, 0, true);
    if (!row) {
        if (row.error().kind == StorageError::Kind::NotFound)
            err << "faultline: no event " << id << " in " << backend->displayName() << "\n";
        else
            err << "faultline: reading event " << id << " failed: " << storageErrorText(row.error()) << "\n";
        return 1;
    }
    if (options.raw) {
        out << cliRawEvent(*row) << "\n";
        return 0;
    }
    QString parseError;
    const QJsonObject json = cliEventJson(backend->events(), *row, &parseError);
    if (!parseError.isEmpty())
        err << "faultline: stored event " << row->eventId << " does not parse: " << parseError << "\n";
    out << QJsonDocument(json).toJson(QJsonDocument::Indented);
    return 0;
}

// issues and events: first the query (exit 2 when it is bad), then the database.
int listMatching(const QString &command, const CliOptions &options, QTextStream &out, QTextStream &err)
{
    const auto query = parseQueryOrComplain(options.query, err);
    if (!query)
        return 2;
    auto backend = openCliBackend(options.dbPath, CliDatabaseUse::Read, err);
    if (!backend)
        return 1;
    return command == u"issues" ? listIssues(options, *query, *backend, out, err)
                                : listEvents(options, *query, *backend, out, err);
}

} // namespace

int runCliCommand(const QString &command, const QStringList &args, QTextStream &out, QTextStream &err)
{
    // Its setting options are its own, so it parses its arguments itself.
    if (command == u"projects" && args.value(0) == u"limits")
        return runProjectLimitsCommand(args.mid(1), out, err);
    if (command == u"issue") {
        const int code = runIssueCommand(args, out, err);
        out.flush();
        err.flush();
        return code;
    }
    const bool listing = command == u"issues" || command == u"events";
    const auto options = parseOptions(args, !listing, err);
    int code = 2;
    if (!options) {
        code = 2;
    } else if (command == u"projects") {
        if (options->positional.isEmpty())
            code = listProjects(*options, out, err);
        else if (options->positional.first() == u"add")
            code = addProject(*options, out, err);
        else
            err << "faultline: unknown projects subcommand '" << options->positional.first()
                << "' (try: add, limits)\n";
    } else if (listing) {
        code = listMatching(command, *options, out, err);
    } else if (command == u"event") {
        code = showEvent(*options, out, err);
    } else {
        err << "faultline: unknown command '" << command << "' (projects, issues, issue, events or event)\n";
    }
    out.flush();
    err.flush();
    return code;
}

} // namespace faultline
