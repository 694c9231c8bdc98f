#include "app/cli_pages.h"

#include "app/cli_arguments.h"
#include "app/cli_database.h"

#include "model/escaped_text.h"
#include "storage/backend.h"
#include "storage/store_readers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>
#include <memory>

namespace faultline {

namespace {

QString isoUtc(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); }

// Table cells come from events: control characters are shown, not obeyed (--json escapes them too).
QString padded(const QString &raw, int width)
{
    const QString text = escapedText(raw, Backslash::Keep);
    return text.size() > width ? text.left(width - 1) + u'…' : text.leftJustified(width);
}

QJsonObject toJson(const DistinctPage &page)
{
    QJsonArray issueIds;
    for (qint64 id : page.issueIds)
        issueIds.append(id);
    QJsonArray variants;
    for (const PageVariant &variant : page.variants)
        variants.append(QJsonObject { { QStringLiteral("sha256"), variant.sha256 },
            { QStringLiteral("size"), variant.size }, { QStringLiteral("events"), variant.events },
            { QStringLiteral("last_seen"), isoUtc(variant.lastSeenMs) } });
    return QJsonObject { { QStringLiteral("project_id"), page.projectId },
        { QStringLiteral("status_code"), page.statusCode }, { QStringLiteral("sha256"), page.sha256 },
        { QStringLiteral("size"), page.size }, { QStringLiteral("filename"), page.filename },
        { QStringLiteral("content_type"), page.contentType }, { QStringLiteral("events"), page.events },
        { QStringLiteral("first_seen"), isoUtc(page.firstSeenMs) },
        { QStringLiteral("last_seen"), isoUtc(page.lastSeenMs) }, { QStringLiteral("issue_ids"), issueIds },
        { QStringLiteral("shape"), page.shape }, { QStringLiteral("variants"), variants } };
}

void printTable(const QList<DistinctPage> &pages, QTextStream &out)
{
    out << padded(QStringLiteral("PROJECT"), 8) << padded(QStringLiteral("STATUS"), 7)
        << padded(QStringLiteral("EVENTS"), 7) << padded(QStringLiteral("VARIANTS"), 9)
        << padded(QStringLiteral("SIZE"), 9) << padded(QStringLiteral("LAST SEEN (UTC)"), 21)
        << padded(QStringLiteral("SHA256"), 14) << padded(QStringLiteral("FILE"), 16) << "ISSUES\n";
    for (const DistinctPage &page : pages) {
        QStringList issues;
        for (qint64 id : page.issueIds)
            issues.append(QString::number(id));
        out << padded(QString::number(page.projectId), 8)
            << padded(page.statusCode > 0 ? QString::number(page.statusCode) : QStringLiteral("-"), 7)
            << padded(QString::number(page.events), 7) << padded(QString::number(page.variants.size()), 9)
            << padded(QString::number(page.size), 9)
            << padded(QDateTime::fromMSecsSinceEpoch(page.lastSeenMs, Qt::UTC).toString(Qt::ISODate), 21)
            << padded(page.sha256.left(12), 14) << padded(page.filename, 16) << issues.join(u',') << "\n";
    }
}

} // namespace

int runPagesCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const CliSyntax syntax { .valueOptions = { QStringLiteral("--db"), QStringLiteral("--project") },
        .flags = { QStringLiteral("--json") },
        .usage = QStringLiteral("usage: faultline pages [--db PATH] [--project ID] [--json]") };
    const auto arguments = parseCliArguments(args, syntax, err);
    if (!arguments)
        return 2;
    qint64 projectId = 0;
    if (arguments->isSet(QStringLiteral("--project"))) {
        const auto id = arguments->number(QStringLiteral("--project"), 1, std::numeric_limits<qint64>::max());
        if (!id) {
            err << "faultline: --project expects a project id (see `faultline projects`), got '"
                << arguments->value(QStringLiteral("--project")) << "'\n";
            return 2;
        }
        projectId = *id;
    }
    const auto backend = openCliBackend(cliDatabasePath(*arguments), CliDatabaseUse::Read, err);
    if (!backend)
        return 1;
    QString error;
    const QList<DistinctPage> pages = backend->pages().distinctPages(projectId, &error);
    if (!error.isEmpty()) {
        err << "faultline: reading pages failed: " << error << "\n";
        return 1;
    }
    if (arguments->isSet(QStringLiteral("--json"))) {
        QJsonArray array;
        for (const DistinctPage &page : pages)
            array.append(toJson(page));
        out << QJsonDocument(array).toJson(QJsonDocument::Indented);
    } else {
        printTable(pages, out);
    }
    return 0;
}

} // namespace faultline
