#pragma once
// Turns a database URL from the configuration into what the drivers need, without touching the
// network: tested on its own, and used by Database::open.
#include <string>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/db/dialect.hpp"

namespace zocalo::db {

struct ConnectionUrl {
  Dialect dialect = Dialect::kSqlite;
  // SQLite: the database file path as given ("var/zocalo.db" is relative to the working dir).
  std::string sqlite_path;
  // PostgreSQL: a libpq conninfo string ("host='h' port='5432' dbname='d' ..."). libpq itself
  // parses the URL (PQconninfoParse), so every parameter it knows is accepted unchanged.
  std::string pg_conninfo;
  // The URL with any password replaced by "***", for logs.
  std::string redacted;
};

// Accepts "sqlite:PATH", "sqlite://PATH" and "postgresql://..." / "postgres://...".
Result<ConnectionUrl> parse_connection_url(std::string_view url);

}  // namespace zocalo::db
