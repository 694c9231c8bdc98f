#pragma once
// The dropped-events view's reason for a refusal: one word per kind a user can
// act on, from the status the collector answered and, where one status covers
// two kinds, its own wording (error_response.cpp, ingest_handler.cpp and
// http_server.cpp write the answers).
#include <QString>

namespace faultline {

// invalid, unparseable, too_large, rate_limited, attachment_quota, queue_full, wrong_key, not_found, disk_full,
// not_stored
QString dropReason(int status, const QString &error);

} // namespace faultline
