#include "app/cli_commands.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"
#include "app/cli_project_limits.h"

#include "model/event_parser.h"
#include "model/query/query_parser.h"
#include "storage/app_state.h"
#include "storage/database.h"
#include "storage/page_queries.h"
#include "storage/event_queries.h"
#include "storage/issue_queries.h"
#include "storage/project_store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>
#include <memory>
#include <optional>

namespace faultline {

namespace {

const QString kDefaultHostPort = QStringLiteral("127.0.0.1:8990");

struct CliOptions {
    QString dbPath;
    bool json = false;
    QString query;
    std::optional<int> limit;
    QString hostPort;  // --listen; else where the app last listened; else kDefaultHostPort
    QStringList positional;
};

std::optional<CliOptions> parseOptions(const QStringList &args, bool positionals, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions
        = { QStringLiteral("--db"), QStringLiteral("--query"), QStringLiteral("--listen"), QStringLiteral("--limit") },
        .flags = { QStringLiteral("--json") },
        .aliases
        = { { QStringLiteral("-q"), QStringLiteral("--query") }, { QStringLiteral("-n"), QStringLiteral("--limit") } },
        .positionals = positionals };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return std::nullopt;
    CliOptions options;
    options.dbPath = cliDatabasePath(*arguments);
    options.json = arguments->isSet(QStringLiteral("--json"));
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
    const FieldError &error = query.errors().first();
    const QuerySpan span = querySpan(error);
    err << "faultline: bad query at position " << span.start + 1 << ": " << error.msg << "\n"
        << "  " << text << "\n"
        << "  " << QString(span.start, u' ') << QString(std::max(1, span.length), u'^') << "\n";
    return std::nullopt;
}

QString isoTime(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); }

QString padded(const QString &text, int width)
{
    return text.size() > width ? text.left(width - 1) + u'…' : text.leftJustified(width);
}

// DSNs must point where the collector really listens: --listen, else the
// address the app published when it last started, else the default.
QString dsnHostPort(const CliOptions &options, const Database &db)
{
    if (!options.hostPort.isEmpty())
        return options.hostPort;
    const QString published = readAppState(db, kCollectorAddressKey);
    return published.isEmpty() ? kDefaultHostPort : published;
}

int listProjects(const CliOptions &options, QTextStream &out, QTextStream &err)
{
    auto db = openCliDatabase(options.dbPath, CliDatabaseUse::Read, err);
    if (!db)
        return 1;
    const auto projects = ProjectStore(*db).all();
    const QString hostPort = dsnHostPort(options, *db);
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
    auto db = openCliDatabase(options.dbPath, CliDatabaseUse::Create, err);
    if (!db)
        return 1;
    const Project project = ProjectStore(*db).add(options.positional[1].trimmed());
    if (project.id == 0) {
        err << "faultline: cannot add project '" << options.positional[1] << "' (is the name taken?)\n";
        return 1;
    }
    const QString dsn = ProjectStore::dsn(project, dsnHostPort(options, *db));
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

int listIssues(const CliOptions &options, const Query &query, Database &db, QTextStream &out, QTextStream &err)
{
    IssueListRequest request;
    request.query = query;
    request.limit = options.limit.value_or(0);
    QString error;
    const auto issues = IssueQueries(db).list(request, &error);
    if (!error.isEmpty()) {
        err << "faultline: reading issues failed: " << error << "\n";
        return 1;
    }
    if (options.json) {
        QJsonArray array;
        for (const IssueRow &issue : issues)
            array.append(QJsonObject { { QStringLiteral("id"), issue.id },
                { QStringLiteral("project_id"), issue.projectId }, { QStringLiteral("title"), issue.title },
                { QStringLiteral("culprit"), issue.culprit }, { QStringLiteral("level"), issue.level },
                { QStringLiteral("status"), issue.status }, { QStringLiteral("regressed"), issue.regressed },
                { QStringLiteral("count"), issue.count }, { QStringLiteral("first_seen"), isoTime(issue.firstSeenMs) },
                { QStringLiteral("last_seen"), isoTime(issue.lastSeenMs) } });
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
            << issue.title << "\n";
    return 0;
}

QJsonObject frameJson(const Frame &frame)
{
    QJsonObject json { { QStringLiteral("function"), frame.function }, { QStringLiteral("module"), frame.module },
        { QStringLiteral("filename"), frame.filename }, { QStringLiteral("lineno"), frame.lineno },
        { QStringLiteral("context_line"), frame.contextLine }, { QStringLiteral("vars"), frame.vars } };
    json.insert(QStringLiteral("in_app"), frame.inApp ? QJsonValue(*frame.inApp) : QJsonValue(QJsonValue::Null));
    return json;
}

// Built from the stored JSON through the same parser the collector uses, so
// this shows exactly what Faultline understood of the event.
QJsonArray pagesJson(Database &db, const EventRow &row)
{
    QJsonArray pages;
    for (const EventPage &page : PageQueries(db).forEvent(row.rowId))
        pages.append(QJsonObject { { QStringLiteral("filename"), page.filename },
            { QStringLiteral("content_type"), page.contentType }, { QStringLiteral("status_code"), page.statusCode },
            { QStringLiteral("size"), page.size }, { QStringLiteral("sha256"), page.sha256 } });
    return pages;
}

QJsonObject eventJson(Database &db, const EventRow &row, QString *parseError)
{
    QJsonObject json { { QStringLiteral("event_id"), row.eventId }, { QStringLiteral("issue_id"), row.issueId },
        { QStringLiteral("project_id"), row.projectId }, { QStringLiteral("level"), row.level },
        { QStringLiteral("title"), row.title }, { QStringLiteral("received"), isoTime(row.receivedMs) } };
    const auto parsed = parseEventJson(row.rawJson);
    if (!parsed.ok()) {
        *parseError = parsed.errors().isEmpty() ? QStringLiteral("unreadable") : parsed.errors().first().msg;
        return json;
    }
    const Event &event = parsed.value();
    const ExceptionValue *primary = event.primaryException();
    QJsonArray frames;
    for (const Frame &frame : primary && !primary->frames.isEmpty() ? primary->frames : event.threadFrames)
        frames.append(frameJson(frame));
    QJsonObject tags;
    for (const Tag &tag : event.tags)
        tags.insert(tag.first, tag.second);
    QJsonArray validation;
    for (const ValidationIssue &issue : event.validationErrors)
        validation.append(QJsonObject { { QStringLiteral("loc"), QJsonArray::fromStringList(issue.loc) },
            { QStringLiteral("msg"), issue.msg }, { QStringLiteral("type"), issue.type } });
    json.insert(QStringLiteral("message"), event.message.isEmpty() ? event.messageTemplate : event.message);
    json.insert(QStringLiteral("exception_type"), primary ? primary->type : QString());
    json.insert(QStringLiteral("exception_value"), primary ? primary->value : QString());
    json.insert(QStringLiteral("frames"), frames);
    json.insert(QStringLiteral("tags"), tags);
    json.insert(QStringLiteral("environment"), event.environment);
    json.insert(QStringLiteral("release"), event.release);
    json.insert(QStringLiteral("timestamp"), isoTime(row.timestampMs));
    json.insert(QStringLiteral("http_status"),
        event.http.statusCode > 0 ? QJsonValue(event.http.statusCode) : QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("error_body"), event.http.errorBody.isUndefined() ? QJsonValue(QJsonValue::Null)
                                                                                 : event.http.errorBody);
    json.insert(QStringLiteral("validation_errors"), validation);
    json.insert(QStringLiteral("pages"), pagesJson(db, row));
    return json;
}

int listEvents(const CliOptions &options, const Query &query, Database &db, QTextStream &out, QTextStream &err)
{
    QString error;
    const auto rows = EventQueries(db).search(query, options.limit.value_or(100), 0, 0, options.json, &error);
    if (!error.isEmpty()) {
        err << "faultline: reading events failed: " << error << "\n";
        return 1;
    }
    for (const EventRow &row : rows) {
        if (!options.json) {
            out << isoTime(row.receivedMs) << "  " << row.eventId << "  issue " << row.issueId << "  "
                << padded(row.level, 8) << row.title << "\n";
            continue;
        }
        QString parseError;
        const QJsonObject json = eventJson(db, row, &parseError);
        if (!parseError.isEmpty())
            err << "faultline: stored event " << row.eventId << " does not parse: " << parseError << "\n";
        out << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
    }
    return 0;
}

// issues and events: first the query (exit 2 when it is bad), then the database.
int listMatching(const QString &command, const CliOptions &options, QTextStream &out, QTextStream &err)
{
    const auto query = parseQueryOrComplain(options.query, err);
    if (!query)
        return 2;
    auto db = openCliDatabase(options.dbPath, CliDatabaseUse::Read, err);
    if (!db)
        return 1;
    return command == u"issues" ? listIssues(options, *query, *db, out, err)
                                : listEvents(options, *query, *db, out, err);
}

} // namespace

int runCliCommand(const QString &command, const QStringList &args, QTextStream &out, QTextStream &err)
{
    // Its setting options are its own, so it parses its arguments itself.
    if (command == u"projects" && args.value(0) == u"limits")
        return runProjectLimitsCommand(args.mid(1), out, err);
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
    } else {
        err << "faultline: unknown command '" << command << "' (projects, issues or events)\n";
    }
    out.flush();
    err.flush();
    return code;
}

} // namespace faultline
