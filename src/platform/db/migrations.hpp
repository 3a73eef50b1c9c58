#pragma once
// The migration files compiled into the binary: migrations/<dialect>/NNNN_name.sql.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/assets.hpp"
#include "platform/core/result.hpp"
#include "platform/db/dialect.hpp"

namespace zocalo::db {

struct Migration {
  int version = 0;   // NNNN
  std::string name;  // "0001_platform"
  std::string_view sql;
};

// The migrations for `dialect` among `files`, in version order. A file whose name does not read
// NNNN_name.sql, or two files with the same number, is a build mistake: kInternal.
Result<std::vector<Migration>> migrations_for(Dialect dialect, std::span<const assets::File> files);
// The same over the embedded assets.
Result<std::vector<Migration>> embedded_migrations(Dialect dialect);

}  // namespace zocalo::db
