#include "mcp/issue_tools.h"

#include "mcp/event_report.h"
#include "mcp/tool_arguments.h"
#include "mcp/tool_catalog.h"
#include "model/query/query_parser.h"
#include "storage/postgres/pg_uri.h"
#include "storage/project_store.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

const QString kDefaultIssueQuery = QStringLiteral("is:unresolved");

std::optional<Query> parseQueryArgument(const QString &text, QString *error)
{
    const auto query = parseQuery(text);
    if (query.ok())
        return query.value();
    const FieldError &problem = query.errors().first();
    *error = QStringLiteral("bad query at position %1: %2 (query: %3)")
                 .arg(querySpan(problem).start + 1)
                 .arg(problem.msg, text);
    return std::nullopt;
}

QHash<qint64, QString> projectNames(StorageBackend &store)
{
    QHash<qint64, QString> names;
    for (const Project &project : store.projects().all())
        names.insert(project.id, project.name);
    return names;
}

// limit + 1 rows were read: the extra one says there is a next page.
template<typename Row> void trimToPage(QList<Row> &rows, int limit, int offset, QJsonObject &page)
{
    if (rows.size() > limit) {
        rows.resize(limit);
        page.insert(QStringLiteral("nextCursor"), encodeCursor(offset + limit));
    }
}

} // namespace

QJsonObject toolSuccess(const QJsonObject &structured)
{
    // The text block carries the same JSON for clients that ignore
    // structuredContent (the MCP spec's advice for backwards compatibility).
    const QString text = QString::fromUtf8(QJsonDocument(structured).toJson(QJsonDocument::Compact));
    return { { QStringLiteral("content"),
                 QJsonArray { QJsonObject {
                     { QStringLiteral("type"), QStringLiteral("text") }, { QStringLiteral("text"), text } } } },
        { QStringLiteral("structuredContent"), structured }, { QStringLiteral("isError"), false } };
}

QJsonObject toolError(const QString &message)
{
    return { { QStringLiteral("content"),
                 QJsonArray { QJsonObject {
                     { QStringLiteral("type"), QStringLiteral("text") }, { QStringLiteral("text"), message } } } },
        { QStringLiteral("isError"), true } };
}

IssueTools::IssueTools(QString dbPath, CollectorHostPort collectorHostPort, int stopFd)
    : m_dbPath(std::move(dbPath))
    , m_collectorHostPort(std::move(collectorHostPort))
    , m_stopFd(stopFd)
{
}

bool IssueTools::has(const QString &name) const { return toolNames().contains(name); }

std::unique_ptr<StorageBackend> IssueTools::open(BackendUse use, QString *error) const
{
    StorageResult<std::unique_ptr<StorageBackend>> opened = openStorageBackend(m_dbPath, use, m_stopFd);
    if (opened)
        return std::move(opened).value();
    const QString why = storageErrorText(opened.error());
    spdlog::error("mcp: cannot open {}{}: {}", connectionStringForLog(m_dbPath).toStdString(),
        use == BackendUse::Read ? " read-only" : "", opened.error().detail.toStdString());
    *error = use == BackendUse::Read ? QStringLiteral("cannot read the database: %1").arg(why)
                                     : QStringLiteral("cannot open the database for writing: %1").arg(why);
    return nullptr;
}

QJsonObject IssueTools::call(const QString &name, const QJsonObject &arguments)
{
    if (name == u"list_projects")
        return listProjects(arguments);
    if (name == u"search_issues")
        return searchIssues(arguments);
    if (name == u"get_issue")
        return getIssue(arguments);
    if (name == u"get_event")
        return getEvent(arguments);
    if (name == u"list_events")
        return listEvents(arguments);
    if (name == u"resolve_issue" || name == u"ignore_issue")
        return changeStatus(name, arguments);
    if (name == u"explain_grouping")
        return explainGrouping(arguments);
    return toolError(QStringLiteral("unknown tool %1").arg(name));
}

QJsonObject IssueTools::listProjects(const QJsonObject &arguments)
{
    ToolArguments args(arguments, {});
    if (!args.ok())
        return toolError(args.error());
    QString error;
    const auto store = open(BackendUse::Read, &error);
    if (!store)
        return toolError(error);
    const QString hostPort = m_collectorHostPort(*store);
    const QHash<qint64, qint64> unresolved
        = store->issues().unresolvedCountsByProject(QDateTime::currentMSecsSinceEpoch(), &error);
    if (!error.isEmpty())
        return toolError(QStringLiteral("reading the issue counts failed: %1").arg(error));
    QJsonArray projects;
    for (const Project &project : store->projects().all())
        projects.append(QJsonObject { { QStringLiteral("id"), project.id }, { QStringLiteral("name"), project.name },
            { QStringLiteral("dsn"), ProjectStore::dsn(project, hostPort) },
            { QStringLiteral("unresolved_issues"), unresolved.value(project.id) } });
    return toolSuccess({ { QStringLiteral("projects"), projects } });
}

std::optional<QJsonObject> IssueTools::issuePage(
    const QString &queryText, IssueSort sort, int limit, int offset, QString *error)
{
    const auto query = parseQueryArgument(queryText, error);
    if (!query)
        return std::nullopt;
    const auto store = open(BackendUse::Read, error);
    if (!store)
        return std::nullopt;
    IssueListRequest request;
    request.query = *query;
    request.sort = sort;
    request.limit = limit + 1;
    request.offset = offset;
    const IssueReader &issues = store->issues();
    QList<IssueRow> rows = issues.list(request, error);
    const qint64 total = error->isEmpty() ? issues.count(*query, 0, error) : 0;
    if (!error->isEmpty())
        return std::nullopt;
    QJsonObject page { { QStringLiteral("query"), queryText }, { QStringLiteral("total"), total } };
    trimToPage(rows, limit, offset, page);
    const QHash<qint64, QString> names = projectNames(*store);
    QJsonArray array;
    for (const IssueRow &row : rows)
        array.append(issueSummaryJson(row, names.value(row.projectId)));
    page.insert(QStringLiteral("issues"), array);
    return page;
}

QJsonObject IssueTools::searchIssues(const QJsonObject &arguments)
{
    ToolArguments args(arguments,
        { QStringLiteral("query"), QStringLiteral("sort"), QStringLiteral("limit"), QStringLiteral("cursor") });
    const QString query = args.optionalString(QStringLiteral("query"), kDefaultIssueQuery);
    const QString sort = args.optionalString(QStringLiteral("sort"), QStringLiteral("last_seen"));
    const int limit = args.limit(QStringLiteral("limit"), kDefaultPageSize, kMaxPageSize);
    const int offset = args.cursorOffset(QStringLiteral("cursor"));
    if (!args.ok())
        return toolError(args.error());
    if (sort != u"last_seen" && sort != u"first_seen" && sort != u"count")
        return toolError(QStringLiteral("\"sort\" must be last_seen, first_seen or count, got \"%1\"").arg(sort));
    QString error;
    const auto page = issuePage(query,
        sort == u"count"            ? IssueSort::Count
            : sort == u"first_seen" ? IssueSort::FirstSeen
                                    : IssueSort::LastSeen,
        limit, offset, &error);
    return page ? toolSuccess(*page) : toolError(error);
}

} // namespace faultline
