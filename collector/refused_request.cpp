#include "collector/refused_request.h"

#include "collector/collector_stats.h"
#include "collector/drop_reason.h"
#include "collector/project_directory.h"
#include "collector/rejection_log.h"
#include "storage/drop_log.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QStringList>

namespace faultline {

namespace {

const QRegularExpression kProjectInPath(QStringLiteral("^/api/([0-9]{1,18})/"));

qint64 projectIdInPath(const QString &path)
{
    const QRegularExpressionMatch match = kProjectInPath.match(path);
    return match.hasMatch() ? match.captured(1).toLongLong() : 0;
}

} // namespace

HttpResponse::Refused describeRefused(const HttpRequest &request, ProjectDirectory &projects)
{
    HttpResponse::Refused refused;
    std::optional<Project> project;
    if (const qint64 id = projectIdInPath(request.path)) {
        project = projects.byId(id);
    } else if (request.path == QLatin1String("/api/events")) {
        const QByteArray authorization = request.header("Authorization").trimmed();
        if (authorization.toLower().startsWith("bearer "))
            project = projects.byKey(QString::fromUtf8(authorization.mid(7).trimmed()));
    }
    refused.projectId = project ? project->id : 0; // a guessed id is no project: counted under none
    bool declared = false;
    const qint64 contentLength = request.header("Content-Length").trimmed().toLongLong(&declared);
    // Refused before its body was read (a wrong key, a size over the limit): the size it declared.
    refused.bodySize = request.body.isEmpty() && declared ? contentLength : request.body.size();
    refused.bodyHead = request.body.left(DroppedEventsStore::kExampleBytes);
    QStringList about;
    for (const char *name : { "Content-Encoding", "User-Agent" }) {
        const QByteArray value = request.header(name).trimmed();
        if (!value.isEmpty())
            about.append(RejectionLog::loggable(QString::fromLatin1(value), 80));
    }
    refused.request = QStringLiteral("%1 %2").arg(
        RejectionLog::loggable(QString::fromLatin1(request.method), 16), RejectionLog::loggable(request.path, 200));
    if (!about.isEmpty())
        refused.request += QStringLiteral(" (%1)").arg(about.join(QStringLiteral(", ")));
    return refused;
}

HttpResponse recordRefusal(CollectorStats &stats, RejectionLog &log, DropLog *drops, const QByteArray &method,
    const QString &path, const QString &peer, HttpResponse response)
{
    ++stats.rejectedRequests;
    if (response.status == 429)
        ++stats.rateLimited;
    log.record(QString::fromLatin1(method), path, peer, response.status, response.reason);
    if (!drops)
        return response;
    const HttpResponse::Refused refused = response.refused.value_or(HttpResponse::Refused {});
    DropExample example;
    example.receivedMs = QDateTime::currentMSecsSinceEpoch();
    example.status = response.status;
    example.size = refused.bodySize;
    example.peer = peer;
    example.request = response.refused ? refused.request
                                       : RejectionLog::loggable(QString::fromLatin1(method), 16) + QLatin1Char(' ')
            + RejectionLog::loggable(path, 200);
    example.head = refused.bodyHead;
    example.answer = response.reason;
    const qint64 projectId = response.refused ? refused.projectId : projectIdInPath(path);
    drops->record(DropRecord { projectId, dropReason(response.status, response.reason), 1, std::move(example) });
    return response;
}

void recordUnparseableDrop(DropLog *drops, int status, const QString &reason)
{
    if (!drops)
        return;
    DropExample example;
    example.receivedMs = QDateTime::currentMSecsSinceEpoch();
    example.status = status;
    example.request = QStringLiteral("(a request head that could not be parsed)");
    example.answer = reason;
    drops->record(DropRecord { 0, dropReason(status, reason), 1, std::move(example) });
}

} // namespace faultline
