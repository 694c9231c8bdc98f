#pragma once
// The command-line face of the store: `faultline projects|issues|events …`.
// Reads use a read-only connection, so they work while the app is collecting.
#include <QString>
#include <QStringList>
#include <QTextStream>

namespace faultline {

// `command` is projects|issues|issue|events|event (issue: app/cli_issue.h); `args` are the words after it:
//   --db PATH          database (default: Database::defaultPath())
//   --json             machine-readable output (events: one JSON object per line)
//   --raw              events, event ID: the stored event JSON as accepted (after scrubbing), one per line
//   --query Q          search (model/query/query.h), for issues and events
//   --limit N          events: default 100, 0 = all; issues: default all
//   --listen HOST:PORT host:port in printed DSNs (default 127.0.0.1:8990)
//   projects add NAME  creates a project and prints its DSN
//   event ID           one event, as events --json shows it (see app/cli_event_json.h)
// Exit codes: 0 ok, 1 the database cannot be used, 2 bad usage or a bad query
// (the message names the term and its position).
int runCliCommand(const QString &command, const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
