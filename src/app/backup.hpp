#pragma once
#include <string>

#include "platform/core/result.hpp"

namespace zocalo::app {

// Copies a live SQLite database to `destination` with SQLite's online backup API: a consistent
// snapshot while zocalo keeps serving. PostgreSQL deployments use pg_dump instead.
Status backup_sqlite(const std::string& database_url, const std::string& destination);

}  // namespace zocalo::app
