#pragma once
// The SQL of the PostgreSQL schema versions (pg_migrations.h lists them in order).

namespace faultline {

extern const char *const kPostgresSchemaV19;

} // namespace faultline
