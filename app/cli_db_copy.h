#pragma once
// `faultline db copy --from PATH --to postgresql://…`: moves a solo SQLite
// database into PostgreSQL (storage/postgres/pg_copy.h), with a progress bar
// on stderr, and prints the row counts of both sides at the end.
//   --from PATH              the SQLite database (default: Database::defaultPath())
//   --to URI                 the PostgreSQL database (postgresql://… or postgres://…)
//   --chunk-events N         events per committed chunk (default 5000)
//   --stop-after-chunks N    stop after N committed chunks, as a killed copy would (to try a resume)
// Exit codes: 0 copied and every count matches; 1 refused, failed or a count
// differs; 2 bad usage; 3 stopped on purpose (run it again to resume).
#include <QStringList>
#include <QTextStream>

namespace faultline {

int runDbCopyCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace faultline
