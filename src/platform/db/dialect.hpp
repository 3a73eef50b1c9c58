#pragma once

namespace zocalo::db {

// The two SQL dialects every store supports (ARCHITECTURE.md, "Data").
enum class Dialect { kSqlite, kPostgres };

}  // namespace zocalo::db
