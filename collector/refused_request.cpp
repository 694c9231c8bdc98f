#include "collector/refused_request.h"

#include "collector/collector_stats.h"
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

// libmicrohttpd's own answers: a head or a URI over its buffer, or one it cannot parse.
QString unparseableDropReason(int status)
{
    if (status == 413 || status == 414 || status == 431)
        return QStringLiteral("too_large");
    return status >= 500 && status != 505 ? QStringLiteral("not_stored") : QStringLiteral("unparseable");
}

} // namespace

RefusedRequest describeRefused(const HttpRequest &request, ProjectDirectory &projects)
{
    RefusedRequest refused;
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

void recordRefusal(CollectorStats &stats, RejectionLog &log, DropLog *drops, const RequestLine &line,
    const IngestError &error, const std::optional<RefusedRequest> &about)
{
    const int status = httpStatus(error.kind);
    ++stats.rejectedRequests;
    if (status == 429)
        ++stats.rateLimited;
    log.record(QString::fromLatin1(line.method), line.path, line.peer, status, error.message);
    if (!drops)
        return;
    const RefusedRequest refused = about.value_or(RefusedRequest {});
    DropExample example;
    example.receivedMs = QDateTime::currentMSecsSinceEpoch();
    example.status = status;
    example.size = refused.bodySize;
    example.peer = line.peer;
    example.request = about ? refused.request
                            : RejectionLog::loggable(QString::fromLatin1(line.method), 16) + QLatin1Char(' ')
            + RejectionLog::loggable(line.path, 200);
    example.head = refused.bodyHead;
    example.answer = error.message;
    const qint64 projectId = about ? refused.projectId : projectIdInPath(line.path);
    drops->record(DropRecord { projectId, dropReason(error.kind), 1, std::move(example) });
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
    drops->record(DropRecord { 0, unparseableDropReason(status), 1, std::move(example) });
}

} // namespace faultline
