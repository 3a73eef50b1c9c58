#include "platform/db/migrations.hpp"

#include <algorithm>
#include <cctype>

namespace zocalo::db {

Result<std::vector<Migration>> migrations_for(Dialect dialect,
                                              std::span<const assets::File> files) {
  const std::string_view prefix =
      dialect == Dialect::kPostgres ? "migrations/postgres/" : "migrations/sqlite/";
  std::vector<Migration> out;
  for (const auto& f : files) {
    if (f.path.substr(0, prefix.size()) != prefix) continue;
    const std::string_view file = f.path.substr(prefix.size());
    if (file.size() < 4 || file.substr(file.size() - 4) != ".sql") {
      return fail(
          Error::internal("migration file not named NNNN_name.sql: " + std::string(f.path)));
    }
    const std::string_view stem = file.substr(0, file.size() - 4);
    std::size_t digits = 0;
    while (digits < stem.size() && std::isdigit(static_cast<unsigned char>(stem[digits]))) {
      ++digits;
    }
    if (digits == 0 || digits > 9 || digits >= stem.size() || stem[digits] != '_') {
      return fail(
          Error::internal("migration file not named NNNN_name.sql: " + std::string(f.path)));
    }
    out.push_back({std::stoi(std::string(stem.substr(0, digits))), std::string(stem), f.data});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      return fail(Error::internal("two migrations share number " + std::to_string(out[i].version) +
                                  ": " + out[i - 1].name + ", " + out[i].name));
    }
  }
  return out;
}

Result<std::vector<Migration>> embedded_migrations(Dialect dialect) {
  return migrations_for(dialect, assets::all());
}

}  // namespace zocalo::db
