#include "app/cli_grouping.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"

#include "storage/backend.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace faultline {

namespace {

const QString kUsage = QStringLiteral("usage: faultline issue merge A B… [--into A] | issue unmerge ID --by HASH | "
                                      "issue ID --grouping  [--db PATH] [--json]");

void printJson(QTextStream &out, const QJsonObject &json)
{
    out << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
}

std::optional<qint64> issueId(const QString &word)
{
    bool ok = false;
    const qint64 id = word.toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

int merge(const CliArguments &arguments, StorageBackend &backend, QTextStream &out, QTextStream &err)
{
    QList<qint64> ids;
    for (const QString &word : arguments.positionals.mid(1))
        ids.append(*issueId(word));
    const qint64 into
        = arguments.isSet(QStringLiteral("--into")) ? *issueId(arguments.value(QStringLiteral("--into"))) : 0;
    QString error;
    const auto merged = backend.merger().merge(ids, into, QDateTime::currentMSecsSinceEpoch(), &error);
    if (!merged) {
        err << "faultline: merge refused: " << error << "\n";
        return 1;
    }
    if (arguments.isSet(QStringLiteral("--json"))) {
        QJsonArray mergedIds;
        for (qint64 id : merged->mergedIds)
            mergedIds.append(id);
        printJson(out,
            { { QStringLiteral("into"), merged->survivorId }, { QStringLiteral("merged"), mergedIds },
                { QStringLiteral("events_moved"), merged->eventsMoved }, { QStringLiteral("rule"), merged->ruleId } });
        return 0;
    }
    QStringList names;
    for (qint64 id : merged->mergedIds)
        names.append(QString::number(id));
    out << "merged " << names.join(QStringLiteral(", ")) << " into issue " << merged->survivorId
        << (into ? "" : ", the one with the most events,") << " (" << merged->eventsMoved
        << " events moved); their future events go there too (rule " << merged->ruleId << ")\n";
    return 0;
}

int unmerge(const CliArguments &arguments, StorageBackend &backend, QTextStream &out, QTextStream &err)
{
    const qint64 id = *issueId(arguments.positionals.value(1));
    QString error;
    const auto split = backend.merger().split(
        id, arguments.value(QStringLiteral("--by")), QDateTime::currentMSecsSinceEpoch(), &error);
    if (!split) {
        err << "faultline: unmerge refused: " << error << "\n";
        return 1;
    }
    if (arguments.isSet(QStringLiteral("--json")))
        printJson(out,
            { { QStringLiteral("issue"), split->newIssueId }, { QStringLiteral("from"), id },
                { QStringLiteral("events_moved"), split->eventsMoved }, { QStringLiteral("rule"), split->ruleId } });
    else
        out << "split " << split->eventsMoved << " events off issue " << id << " into new issue " << split->newIssueId
            << "; future events with that key go there too (rule " << split->ruleId << ")\n";
    return 0;
}

int showGrouping(const CliArguments &arguments, StorageBackend &backend, QTextStream &out, QTextStream &err)
{
    const qint64 id = *issueId(arguments.positionals.value(0));
    const StorageResult<IssueRow> issue = backend.issues().byId(id);
    if (!issue) {
        err << "faultline: " << issueReadFailure(issue.error(), id) << "\n";
        return 1;
    }
    QString error;
    const QList<StoredGroupingKey> keys = backend.merger().keys(id, &error);
    const QHash<qint64, qint64> events
        = error.isEmpty() ? backend.merger().eventsPerKey(id, &error) : QHash<qint64, qint64>();
    if (!error.isEmpty()) {
        err << "faultline: reading the grouping keys failed: " << error << "\n";
        return 1;
    }
    if (arguments.isSet(QStringLiteral("--json"))) {
        QJsonArray array;
        for (const StoredGroupingKey &key : keys)
            array.append(
                QJsonObject { { QStringLiteral("hash"), key.hash }, { QStringLiteral("strategy"), key.strategy },
                    { QStringLiteral("linked_by"), key.linkedBy }, { QStringLiteral("events"), events.value(key.id) },
                    { QStringLiteral("explanation"), toJson(key.explanation) },
                    { QStringLiteral("description"), describeGrouping(key.explanation) } });
        printJson(out, { { QStringLiteral("id"), id }, { QStringLiteral("keys"), array } });
        return 0;
    }
    out << "Issue " << id << ": " << issue->title << "\n"
        << "Grouping keys (" << keys.size() << "); split one off with: faultline issue unmerge " << id
        << " --by HASH\n";
    for (const StoredGroupingKey &key : keys) {
        const QString described = describeGrouping(key.explanation);
        out << "\n  " << key.hash << "  " << key.strategy << ", " << key.linkedBy << ", " << events.value(key.id)
            << (events.value(key.id) == 1 ? " event" : " events") << "\n    "
            << (described.isEmpty() ? QStringLiteral("(recorded before explanations were stored)") : described) << "\n";
    }
    return 0;
}

} // namespace

bool isIssueGroupingCommand(const QStringList &args)
{
    return args.value(0) == u"merge" || args.value(0) == u"unmerge" || args.contains(QStringLiteral("--grouping"));
}

int runIssueGroupingCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions
        = { QStringLiteral("--db"), QStringLiteral("--into"), QStringLiteral("--by") },
        .flags = { QStringLiteral("--json"), QStringLiteral("--grouping") },
        .positionals = true,
        .usage = kUsage };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return 2;
    const QStringList &words = arguments->positionals;
    const QString verb = words.value(0);
    bool ok = !words.isEmpty();
    for (const QString &word : words.mid(verb == u"merge" || verb == u"unmerge" ? 1 : 0))
        ok = ok && issueId(word).has_value();
    if (verb == u"merge")
        ok = ok && words.size() >= 3 && !arguments->isSet(QStringLiteral("--by"))
            && (!arguments->isSet(QStringLiteral("--into")) || issueId(arguments->value(QStringLiteral("--into"))));
    else if (verb == u"unmerge")
        ok = ok && words.size() == 2 && !arguments->value(QStringLiteral("--by")).isEmpty();
    else
        ok = ok && words.size() == 1 && arguments->isSet(QStringLiteral("--grouping"));
    if (!ok) {
        err << "faultline: expected issue ids as shown\n" << kUsage << "\n";
        return 2;
    }
    const bool writes = verb == u"merge" || verb == u"unmerge";
    auto backend
        = openCliBackend(cliDatabasePath(*arguments), writes ? CliDatabaseUse::Write : CliDatabaseUse::Read, err);
    if (!backend)
        return 1;
    if (verb == u"merge")
        return merge(*arguments, *backend, out, err);
    return verb == u"unmerge" ? unmerge(*arguments, *backend, out, err) : showGrouping(*arguments, *backend, out, err);
}

} // namespace faultline
