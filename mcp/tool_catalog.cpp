#include "mcp/tool_catalog.h"

#include <QJsonObject>

namespace faultline {

namespace {

using Props = QJsonObject;

QJsonObject prop(const char *type, const QString &description)
{
    QJsonObject schema { { QStringLiteral("type"), QLatin1String(type) } };
    if (!description.isEmpty())
        schema.insert(QStringLiteral("description"), description);
    return schema;
}

QJsonObject objectSchema(const Props &properties, const QStringList &required = {})
{
    QJsonObject schema { { QStringLiteral("type"), QStringLiteral("object") },
        { QStringLiteral("properties"), properties } };
    if (!required.isEmpty())
        schema.insert(QStringLiteral("required"), QJsonArray::fromStringList(required));
    return schema;
}

QJsonObject inputSchema(const Props &properties, const QStringList &required = {})
{
    QJsonObject schema = objectSchema(properties, required);
    schema.insert(QStringLiteral("additionalProperties"), false);
    return schema;
}

QJsonObject arrayOf(const QJsonObject &items)
{
    return { { QStringLiteral("type"), QStringLiteral("array") }, { QStringLiteral("items"), items } };
}

QJsonObject limitProp()
{
    QJsonObject limit = prop("integer",
        QStringLiteral("How many to return (default %1, at most %2).").arg(kDefaultPageSize).arg(kMaxPageSize));
    limit.insert(QStringLiteral("minimum"), 1);
    limit.insert(QStringLiteral("maximum"), kMaxPageSize);
    return limit;
}

QJsonObject cursorProp()
{
    return prop(
        "string", QStringLiteral("nextCursor from the previous answer, for the next page; omit for the first."));
}

QJsonObject issueIdProp() { return prop("integer", QStringLiteral("The issue's id (from search_issues).")); }

QJsonObject issueShape()
{
    return objectSchema(
        { { QStringLiteral("id"), prop("integer", {}) }, { QStringLiteral("uri"), prop("string", {}) },
            { QStringLiteral("title"), prop("string", {}) }, { QStringLiteral("status"), prop("string", {}) },
            { QStringLiteral("count"), prop("integer", {}) } },
        { QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("status") });
}

// get_issue's issue: the summary plus what the tag counters add up to.
QJsonObject issueReportShape()
{
    QJsonObject shape = issueShape();
    QJsonObject properties = shape.value(QStringLiteral("properties")).toObject();
    const QJsonObject tagValue = objectSchema(
        { { QStringLiteral("value"), prop("string", {}) }, { QStringLiteral("count"), prop("integer", {}) },
            { QStringLiteral("percent"), prop("number", {}) } },
        { QStringLiteral("value"), QStringLiteral("count") });
    properties.insert(QStringLiteral("users"), prop("integer", QStringLiteral("Distinct users affected.")));
    properties.insert(QStringLiteral("first_release"), prop("string", {}));
    properties.insert(QStringLiteral("last_release"), prop("string", {}));
    properties.insert(QStringLiteral("status_detail"),
        prop("string", QStringLiteral("The status's condition, e.g. \"resolved in the next release\".")));
    properties.insert(QStringLiteral("releases"),
        arrayOf(objectSchema(
            { { QStringLiteral("release"), prop("string", {}) }, { QStringLiteral("count"), prop("integer", {}) } },
            { QStringLiteral("release"), QStringLiteral("count") })));
    properties.insert(QStringLiteral("tags"),
        arrayOf(objectSchema(
            { { QStringLiteral("key"), prop("string", {}) }, { QStringLiteral("distinct_values"), prop("integer", {}) },
                { QStringLiteral("top"), arrayOf(tagValue) } },
            { QStringLiteral("key"), QStringLiteral("top") })));
    shape.insert(QStringLiteral("properties"), properties);
    return shape;
}

QJsonObject pageOf(const QString &key, const QJsonObject &item)
{
    return objectSchema({ { key, arrayOf(item) }, { QStringLiteral("nextCursor"), prop("string", {}) } }, { key });
}

QJsonObject annotations(bool readOnly, bool idempotent)
{
    return { { QStringLiteral("readOnlyHint"), readOnly }, { QStringLiteral("destructiveHint"), false },
        { QStringLiteral("idempotentHint"), idempotent }, { QStringLiteral("openWorldHint"), false } };
}

QJsonObject tool(const QString &name, const QString &title, const QString &description, const QJsonObject &input,
    const QJsonObject &output, bool readOnly = true)
{
    return { { QStringLiteral("name"), name }, { QStringLiteral("title"), title },
        { QStringLiteral("description"), description }, { QStringLiteral("inputSchema"), input },
        { QStringLiteral("outputSchema"), output }, { QStringLiteral("annotations"), annotations(readOnly, true) } };
}

QJsonObject statusChange(const QString &name, const QString &title, const QString &verb)
{
    return tool(name, title,
        QStringLiteral("Marks an issue %1 in Faultline (the user's window shows it too). Changes shared state: "
                       "ask the user first and pass confirm: true, or the call is refused.")
            .arg(verb),
        inputSchema({ { QStringLiteral("id"), issueIdProp() },
                        { QStringLiteral("confirm"),
                            prop("boolean", QStringLiteral("Must be true: the user agreed to this change.")) } },
            { QStringLiteral("id"), QStringLiteral("confirm") }),
        objectSchema(
            { { QStringLiteral("issue"), issueShape() }, { QStringLiteral("previous_status"), prop("string", {}) },
                { QStringLiteral("changed"), prop("boolean", {}) } },
            { QStringLiteral("issue"), QStringLiteral("changed") }),
        false);
}

} // namespace

QJsonArray toolDefinitions()
{
    const QString queryHelp = QStringLiteral(
        "Faultline's search language, terms ANDed: free words; is:unresolved|resolved|ignored|regressed; "
        "level:error or level:>=warning; project:NAME; release:V; environment:E; key:value for tags; "
        "has:locals|validation|TAG; field:NAME (validation errors); status:500 or status:4xx; "
        "age:-24h (first seen within); last_seen:-1h. Prefix ! or - to negate.");
    QJsonObject sort = prop("string", QStringLiteral("Order, newest/largest first (default last_seen)."));
    sort.insert(QStringLiteral("enum"),
        QJsonArray { QStringLiteral("last_seen"), QStringLiteral("first_seen"), QStringLiteral("count") });
    return {
        tool(QStringLiteral("list_projects"), QStringLiteral("List projects"),
            QStringLiteral("The projects (services) reporting to this Faultline, with their DSN and how many "
                           "unresolved issues each has."),
            inputSchema({}),
            pageOf(QStringLiteral("projects"),
                objectSchema(
                    { { QStringLiteral("id"), prop("integer", {}) }, { QStringLiteral("name"), prop("string", {}) },
                        { QStringLiteral("dsn"), prop("string", {}) },
                        { QStringLiteral("unresolved_issues"), prop("integer", {}) } },
                    { QStringLiteral("id"), QStringLiteral("name") }))),
        tool(QStringLiteral("search_issues"), QStringLiteral("Search issues"),
            QStringLiteral("Issues (errors grouped by cause) matching a search, paged. Start here, then call "
                           "get_issue on one."),
            inputSchema({ { QStringLiteral("query"),
                              prop("string", queryHelp + QStringLiteral(" Default: is:unresolved; \"\" for all.")) },
                { QStringLiteral("sort"), sort }, { QStringLiteral("limit"), limitProp() },
                { QStringLiteral("cursor"), cursorProp() } }),
            [] {
                QJsonObject page = pageOf(QStringLiteral("issues"), issueShape());
                QJsonObject properties = page.value(QStringLiteral("properties")).toObject();
                properties.insert(QStringLiteral("total"), prop("integer", {}));
                page.insert(QStringLiteral("properties"), properties);
                return page;
            }()),
        tool(QStringLiteral("get_issue"), QStringLiteral("Get an issue"),
            QStringLiteral("One issue: summary (status and its conditions, users affected, first and last seen "
                           "with their release, events per release, top values of each tag with counts and "
                           "percentages), and its latest event with the exception, the application's own frames "
                           "(source context and local variables), the request, the HTTP answer, validation errors "
                           "and attached pages."),
            inputSchema({ { QStringLiteral("id"), issueIdProp() } }, { QStringLiteral("id") }),
            objectSchema({ { QStringLiteral("issue"), issueReportShape() },
                             { QStringLiteral("latest_event"), prop("object", {}) } },
                { QStringLiteral("issue") })),
        tool(QStringLiteral("get_event"), QStringLiteral("Get an event"),
            QStringLiteral("One event in full: every frame (capped, crash end kept), breadcrumbs, tags, request."),
            inputSchema({ { QStringLiteral("event_id"),
                            prop("string", QStringLiteral("32 hex digits (dashes allowed), from list_events.")) } },
                { QStringLiteral("event_id") }),
            objectSchema({ { QStringLiteral("event_id"), prop("string", {}) },
                             { QStringLiteral("issue_id"), prop("integer", {}) } },
                { QStringLiteral("event_id"), QStringLiteral("issue_id") })),
        tool(QStringLiteral("list_events"), QStringLiteral("List an issue's events"),
            QStringLiteral("The events of one issue, newest first, optionally narrowed by a search, paged."),
            inputSchema(
                { { QStringLiteral("issue_id"), issueIdProp() }, { QStringLiteral("query"), prop("string", queryHelp) },
                    { QStringLiteral("limit"), limitProp() }, { QStringLiteral("cursor"), cursorProp() } },
                { QStringLiteral("issue_id") }),
            pageOf(QStringLiteral("events"),
                objectSchema({ { QStringLiteral("event_id"), prop("string", {}) } }, { QStringLiteral("event_id") }))),
        statusChange(QStringLiteral("resolve_issue"), QStringLiteral("Resolve an issue"), QStringLiteral("resolved")),
        statusChange(QStringLiteral("ignore_issue"), QStringLiteral("Ignore an issue"), QStringLiteral("ignored")),
        tool(QStringLiteral("explain_grouping"), QStringLiteral("Explain an issue's grouping"),
            QStringLiteral("Why events land in this issue: what the latest event's grouping counted (exception "
                           "type, in-app frames with their source line, message, or the SDK's fingerprint) and what "
                           "it ignored and why."),
            inputSchema({ { QStringLiteral("issue_id"), issueIdProp() } }, { QStringLiteral("issue_id") }),
            objectSchema(
                { { QStringLiteral("issue_id"), prop("integer", {}) }, { QStringLiteral("rule"), prop("string", {}) },
                    { QStringLiteral("components"), arrayOf(prop("string", {})) } },
                { QStringLiteral("issue_id"), QStringLiteral("rule"), QStringLiteral("components") })),
    };
}

QStringList toolNames()
{
    QStringList names;
    for (const QJsonValue &definition : toolDefinitions())
        names.append(definition.toObject().value(QLatin1String("name")).toString());
    return names;
}

} // namespace faultline
