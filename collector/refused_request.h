#pragma once
// A refusal on its way to the status bar's counters, the rejection log and the
// dropped-events view (storage/drop_log.h). Runs on HTTP threads, and on the
// writer's acknowledging thread for answers after a commit.
#include "collector/ingest_error.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace faultline {

class DropLog;
class ProjectDirectory;
class RejectionLog;
struct CollectorStats;
struct HttpRequest;

// What every answer can name: the request line and who sent it.
struct RequestLine {
    QByteArray method;
    QString path;
    QString peer; // "ip:port"
};

// The refused request as the view shows it: its project (0 when the request names
// none that exists), its size, its body's first bytes and what it said about itself.
struct RefusedRequest {
    qint64 projectId = 0;
    qint64 bodySize = 0;
    QByteArray bodyHead; // the first bytes only
    QString request; // "POST /api/1/store/ (gzip, sentry.python/2.0)"
};

// Filled in where the request is at hand (an answer after a commit has only its line).
RefusedRequest describeRefused(const HttpRequest &request, ProjectDirectory &projects);

// Counts, logs and records (when `drops` is set) one refusal; without `about`, the
// project is taken from the path.
void recordRefusal(CollectorStats &stats, RejectionLog &log, DropLog *drops, const RequestLine &line,
    const IngestError &error, const std::optional<RefusedRequest> &about);

// A request libmicrohttpd answered itself: no method, path, peer or body to show.
void recordUnparseableDrop(DropLog *drops, int status, const QString &reason);

} // namespace faultline
