#pragma once
// PostgreSQL's errors (pg_result.h) in storage's one convention (storage_error.h),
// for the readers that serve both backends through one interface: the CLI and
// the window say the same thing whichever backend failed.
#include "storage/postgres/pg_result.h"
#include "storage/storage_error.h"

namespace faultline {

// `what` ("adding project 'x'") goes in front of the server's message.
StorageError storageErrorFromPg(const PgError &error, const QString &what = {});

} // namespace faultline
