#pragma once
// `faultline pages`: the distinct error pages services attached to events,
// per status code and content hash (see storage/page_queries.h).
#include <QStringList>
#include <QTextStream>

namespace faultline {

// `args` are the words after "pages":
//   --db PATH      database (default: Database::defaultPath())
//   --project ID   only this project (default: every project)
//   --json         a JSON array: project_id, status_code, sha256, size, filename,
//                  content_type, events, first_seen, last_seen (ISO 8601 UTC), issue_ids,
//                  shape (the group key) and variants [{sha256, size, events, last_seen}], newest first
// Reads through a read-only connection, so it works while the app is collecting.
// Exit codes: 0 ok, 1 the database cannot be used, 2 bad usage.
int runPagesCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
