#pragma once
// `faultline prune`: applies the retention limits now, from the command line.
#include <QStringList>
#include <QTextStream>

namespace faultline {

// `args` are the words after `prune`:
//   --db PATH|URI        database (default: Database::defaultPath()); a postgresql:// URI drops whole
//                        expired months (storage/postgres/pg_retention.h); --project does not apply there
//   --project ID         only this project (default: every project)
//   --max-age-days N     instead of the stored limit, for this run (0 = keep forever)
//   --max-events N       instead of the stored limit, for this run (0 = unlimited)
//   --dry-run            print what would be deleted, delete nothing
// Safe while the app is collecting: it deletes in small transactions.
// Exit codes: 0 ok, 1 the database cannot be used or pruning failed, 2 bad usage.
int runPruneCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
