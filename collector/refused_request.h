#pragma once
// A refusal on its way to the status bar's counters, the rejection log and the
// dropped-events view (storage/drop_log.h). Runs on HTTP threads, and on the
// writer's acknowledging thread for answers after a commit.
#include "collector/http_types.h"

#include <QByteArray>
#include <QString>

namespace faultline {

class DropLog;
class ProjectDirectory;
class RejectionLog;
struct CollectorStats;

// The refused request as the view shows it: its project (0 when the request names
// none that exists), its size, its body's first bytes and what it said about itself.
HttpResponse::Refused describeRefused(const HttpRequest &request, ProjectDirectory &projects);

// Counts, logs and records (when `drops` is set) an answer with status >= 400.
// An answer without `refused` (one sent after a commit) takes its project from the path.
HttpResponse recordRefusal(CollectorStats &stats, RejectionLog &log, DropLog *drops, const QByteArray &method,
    const QString &path, const QString &peer, HttpResponse response);

// A request libmicrohttpd answered itself: no method, path, peer or body to show.
void recordUnparseableDrop(DropLog *drops, int status, const QString &reason);

} // namespace faultline
